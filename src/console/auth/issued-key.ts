// A key's secret is shown once. Issuing answers with a redirect (so reloading the page never issues
// a second key), and the secret travels to that one next page in a cookie of its own: HttpOnly,
// Secure, SameSite=Strict, sent only to /console/keys, two minutes long, and cleared by the page
// that shows it. It never appears in a URL (history, logs). It is as safe in the cookie jar as
// the console's own cookie, which holds the signed-in key.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { parseKey } from "../../auth/key-format";
import { decodeBase64Url, encodeBase64Url } from "../../core/encoding";
import { isJsonObject } from "../../core/json/json-value";
import { parseJson } from "../../core/json/parse-json";

const NAME = "edgestate_issued_key";
const options = { path: "/console/keys", httpOnly: true, secure: true, sameSite: "Strict" } as const;
const MAX_AGE_SECONDS = 120;

export interface ShownOnce {
  id: string;
  key: string;
  tenant: string;
  name: string;
  scopes: string[];
}

export function keepForNextPage(c: Context, issued: ShownOnce): void {
  const value = encodeBase64Url(new TextEncoder().encode(JSON.stringify(issued)));
  setCookie(c, NAME, value, { ...options, maxAge: MAX_AGE_SECONDS });
}

/** The key issued just before, for this tenant, once: reading it clears it. */
export function takeIssued(c: Context, tenant: string): ShownOnce | undefined {
  const raw = getCookie(c, NAME);
  if (raw === undefined) return undefined;
  deleteCookie(c, NAME, options);
  const bytes = decodeBase64Url(raw);
  const parsed = bytes ? parseJson(new TextDecoder().decode(bytes)) : undefined;
  if (!parsed?.ok || !isJsonObject(parsed.value)) return undefined;
  const { id, key, name, scopes } = parsed.value;
  // A cookie is client input: only a well-formed key of this tenant is shown.
  if (typeof key !== "string" || parseKey(key)?.id !== id || parsed.value.tenant !== tenant) return undefined;
  if (typeof name !== "string" || !Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) {
    return undefined;
  }
  return { id: id as string, key, tenant, name, scopes: scopes as string[] };
}
