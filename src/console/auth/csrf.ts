// Cross-site request protection for the console's forms, in two independent layers:
//  1. Origin: every unsafe request must come from this origin (Origin header, or Sec-Fetch-Site
//     when a browser sends no Origin). This also covers the sign-in form, before any cookie exists.
//  2. A token bound to the sign-in: HMAC-SHA256 keyed with the API key over the sign-in's random
//     nonce. Another site cannot compute it (it never sees the key or the nonce, both only in the
//     HttpOnly cookie), and a new sign-in rotates it. Forms carry it in `_csrf`, scripts in
//     X-CSRF-Token.
// SameSite=Strict on the cookie is a third layer: a cross-site request arrives signed out.
import type { Context } from "hono";
import { constantTimeEqual } from "../../auth/key-format";
import { encodeBase64Url } from "../../core/encoding";
import type { ConsoleSession } from "./console-session";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export async function csrfToken(session: ConsoleSession): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(session.key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(`edgestate-console-csrf\n${session.nonce}`),
  );
  return encodeBase64Url(new Uint8Array(mac));
}

export async function validCsrfToken(session: ConsoleSession, presented: string | undefined) {
  if (!presented) return false;
  return constantTimeEqual(presented, await csrfToken(session));
}

/** True when an unsafe request was started by a page of this very origin. */
export function sameOrigin(c: Context): boolean {
  const expected = new URL(c.req.url).origin;
  const origin = c.req.header("Origin");
  if (origin !== undefined && origin !== "null") return origin === expected;
  // Browsers send Origin on every cross-origin POST, but "null" under a no-referrer policy (the
  // API's default) and none from some older clients: then Fetch Metadata decides, and a request
  // that proves neither is refused.
  return c.req.header("Sec-Fetch-Site") === "same-origin";
}
