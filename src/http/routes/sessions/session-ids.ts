// Which object a create lands on. Without an Idempotency-Key: a random id. With one: an id derived
// from (tenant, key), so a retry reaches the same SessionObject, whose idempotency record replays
// the first reply; create, session and record commit together in that one object, and no shared
// per-tenant object sits on the create path.
//
// The HMAC secret is derived by HKDF from the primary ring key (crypto/derived-keys.ts). Rotating
// the primary changes derived ids, so a retry that straddles a rotation creates a second session
// instead of replaying: acceptable for a rare, deliberate event.
import { getConfig } from "../../../config";
import { fail } from "../../../core/result";
import { derivedHmacKey } from "../../../crypto/derived-keys";
import { derivedSessionId, newSessionId } from "../../../crypto/session-id";
import { fromFailure } from "../../problem";

export async function sessionIdFor(env: Env, tenant: string, idempotencyKey: string | undefined) {
  if (idempotencyKey === undefined) return newSessionId();
  const config = getConfig(env);
  // The auth middleware refuses a misconfigured deployment before any route runs.
  if (!config.ring) throw fromFailure(fail("unavailable", config.problems.join("; ")));
  return derivedSessionId(
    await derivedHmacKey(config.ring, "edgestate/v1/session-id"),
    tenant,
    idempotencyKey,
  );
}
