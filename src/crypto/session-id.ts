// Session ids: `ses_` + 256 bits in base64url (43 characters), either random or, for a create
// that carries an Idempotency-Key, derived from (tenant, key) by HMAC-SHA-256 under a server
// secret, so a retried create lands on the same object and replays there. The secret keeps a
// derived id as unguessable as a random one, even when a client's idempotency keys are guessable.
import { encodeBase64Url } from "../core/encoding";

export const SESSION_ID = /^ses_[A-Za-z0-9_-]{43}$/;
const ID_BYTES = 32;

export function newSessionId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)) {
  return `ses_${encodeBase64Url(random(new Uint8Array(ID_BYTES)))}`;
}

/** `secret` is an HMAC-SHA-256 key; tenants never share ids because the tenant is in the message. */
export async function derivedSessionId(secret: CryptoKey, tenant: string, idempotencyKey: string) {
  // Tenant names never contain "\n", so the message is unambiguous.
  const message = new TextEncoder().encode(`edgestate/session-id\n${tenant}\n${idempotencyKey}`);
  const mac = await crypto.subtle.sign("HMAC", secret, message);
  return `ses_${encodeBase64Url(new Uint8Array(mac))}`;
}
