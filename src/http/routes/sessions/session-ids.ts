// Which object a create lands on. Without an Idempotency-Key: a random id. With one: an id derived
// from (tenant, key), so a retry reaches the same SessionObject, whose idempotency record replays
// the first reply; create, session and record commit together in that one object, and no shared
// per-tenant object sits on the create path.
//
// The HMAC secret is derived by HKDF from the primary ring key (separate info string from the
// tenant encryption keys). Rotating the primary changes derived ids, so a retry that straddles a
// rotation creates a second session instead of replaying: acceptable for a rare, deliberate event.
import { getConfig } from "../../../config";
import { derivedSessionId, newSessionId } from "../../../core/session/ids";
import { parseKeyRing } from "../../../crypto";
import { problem } from "../../problem";

const encoder = new TextEncoder();
let memo: { raw: string | undefined; key: Promise<CryptoKey> } | undefined;

export async function sessionIdFor(env: Env, tenant: string, idempotencyKey: string | undefined) {
  if (idempotencyKey === undefined) return newSessionId();
  return derivedSessionId(await secret(env), tenant, idempotencyKey);
}

function secret(env: Env): Promise<CryptoKey> {
  const raw = env.ENCRYPTION_KEYS;
  if (memo?.raw === raw) return memo.key;
  const parsed = parseKeyRing(raw);
  if (!parsed.ok) {
    throw problem(
      503,
      "Service Unavailable",
      `edgestate is misconfigured: ${getConfig(env).problems.join("; ")}`,
    );
  }
  const material = parsed.ring.keys.get(parsed.ring.primary)!;
  const key = crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveKey"]).then((base) =>
    crypto.subtle.deriveKey(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encoder.encode("edgestate/v1/hkdf-salt"),
        info: encoder.encode("edgestate/v1/session-id"),
      },
      base,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign"],
    ),
  );
  memo = { raw, key };
  return key;
}
