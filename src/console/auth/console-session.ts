// The console's sign-in state: the API key and the tenant it acts on, in one cookie the browser
// sends back only to /console pages (HttpOnly: no script reads it; Secure: never over plain HTTP,
// except that browsers treat 127.0.0.1/localhost as secure for `wrangler dev`; SameSite=Strict:
// never on a request started by another site).
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decodeBase64Url, encodeBase64Url } from "../../core/encoding";
import { isJsonObject } from "../../core/json/json-value";
import { parseJson } from "../../core/json/parse-json";
import { TENANT } from "../../core/names";

export const COOKIE_NAME = "edgestate_console";
export const COOKIE_PATH = "/console";
/** A console sign-in lasts a working day; the key itself may be revoked sooner, which signs it out. */
export const COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;

export interface ConsoleSession {
  /** The API key, exactly as the API verifies it. */
  key: string;
  /** The tenant every API call acts on (Edgestate-Tenant). */
  tenant: string;
  /** Whether the key is the deployment's root key, which may switch tenants. */
  admin: boolean;
  /** Random per sign-in; the CSRF token is bound to it, so a new sign-in gets a new token. */
  nonce: string;
}

/** What the API's auth accepts after "Bearer ": visible ASCII, no spaces. */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;
/** newNonce(): 16 random bytes, base64url. */
const NONCE = /^[A-Za-z0-9_-]{22}$/;

const cookieOptions = {
  path: COOKIE_PATH,
  httpOnly: true,
  secure: true,
  sameSite: "Strict",
} as const;

/**
 * The cookie's session, or null for anything this console did not write: a cookie is client input.
 * Each field must be what writeSession stores, since the key becomes an Authorization header, the
 * tenant an Edgestate-Tenant header and the key an HMAC key (a CR/LF or NUL would make the
 * header throw, an empty key the HMAC import).
 */
export function readSession(c: Context): ConsoleSession | null {
  const raw = getCookie(c, COOKIE_NAME);
  if (!raw) return null;
  const bytes = decodeBase64Url(raw);
  if (!bytes) return null;
  const parsed = parseJson(new TextDecoder().decode(bytes));
  if (!parsed.ok || !isJsonObject(parsed.value)) return null;
  const { key, tenant, admin, nonce } = parsed.value;
  if (
    typeof key !== "string" ||
    !BEARER_TOKEN.test(key) ||
    typeof tenant !== "string" ||
    !TENANT.test(tenant) ||
    typeof admin !== "boolean" ||
    typeof nonce !== "string" ||
    !NONCE.test(nonce)
  ) {
    return null;
  }
  return { key, tenant, admin, nonce };
}

export function writeSession(c: Context, session: ConsoleSession): void {
  const value = encodeBase64Url(new TextEncoder().encode(JSON.stringify(session)));
  setCookie(c, COOKIE_NAME, value, { ...cookieOptions, maxAge: COOKIE_MAX_AGE_SECONDS });
}

export function clearSession(c: Context): void {
  deleteCookie(c, COOKIE_NAME, cookieOptions);
}

export function newNonce(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}
