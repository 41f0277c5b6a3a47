// Callback tokens for `.waitForTaskToken` tasks: opaque to clients, signed, and naming exactly one
// task of one execution. Layout: `est1.<key id>.<base64url JSON [tenant, machine, execution, taskId]>.<base64url MAC>`,
// the MAC being HMAC-SHA-256 over everything before the last dot, keyed by HKDF(ring key,
// info "edgestate/v1/task-token"). The key id lets tokens issued before a key rotation still
// verify while their key stays in ENCRYPTION_KEYS.

import { getConfig } from "../config";
import { decodeBase64Url, encodeBase64Url } from "../core/encoding";
import { EXECUTION_NAME, MACHINE_NAME, TENANT } from "../core/names";
import { equalSecrets, hmacSha256 } from "../crypto/hashes";
import type { KeyRing } from "../crypto/key-ring";
import { HKDF_SALT } from "../crypto/tenant-keys";

const PREFIX = "est1";
const INFO = new TextEncoder().encode("edgestate/v1/task-token");

export interface TaskTokenClaims {
  tenant: string;
  machine: string;
  execution: string;
  taskId: string;
}

/** Signs synchronously with a key derived beforehand (what `StepEnv.makeTaskToken` needs). */
export interface TaskTokenSigner {
  sign(claims: TaskTokenClaims): string;
}

const derived = new Map<string, Promise<Uint8Array>>();

/** The ring as the one config parsed it. */
const ringOf = (env: { ENCRYPTION_KEYS?: string }): KeyRing | null => getConfig(env).ring ?? null;

/** Per isolate and ring key: HKDF is async and the derived bytes never change. */
function macKey(ring: KeyRing, keyId: string): Promise<Uint8Array> | undefined {
  const material = ring.keys.get(keyId);
  if (!material) return undefined;
  // The cache key carries the material's fingerprint-free identity: id plus a hash of the bytes,
  // so two rings reusing an id for different material never share a derived key.
  const cacheKey = `${keyId}:${encodeBase64Url(hmacSha256(material, INFO))}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveBits"]);
      const bits = await crypto.subtle.deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: INFO },
        base,
        256,
      );
      return new Uint8Array(bits);
    })();
    derived.set(cacheKey, key);
  }
  return key;
}

export async function taskTokenSigner(env: { ENCRYPTION_KEYS?: string }): Promise<TaskTokenSigner | null> {
  const ring = ringOf(env);
  if (!ring) return null;
  const keyId = ring.primary;
  const key = await macKey(ring, keyId);
  if (!key) return null;
  return {
    sign(claims) {
      const payload = encodeBase64Url(
        new TextEncoder().encode(
          JSON.stringify([claims.tenant, claims.machine, claims.execution, claims.taskId]),
        ),
      );
      const signed = `${PREFIX}.${keyId}.${payload}`;
      return `${signed}.${encodeBase64Url(hmacSha256(key, signed))}`;
    },
  };
}

/** The claims of a genuine token, or null for anything forged, altered or malformed. */
export async function verifyTaskToken(
  env: { ENCRYPTION_KEYS?: string },
  token: string,
): Promise<TaskTokenClaims | null> {
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const [, keyId, payload, mac] = parts as [string, string, string, string];
  const ring = ringOf(env);
  const key = ring ? await macKey(ring, keyId) : undefined;
  const given = decodeBase64Url(mac);
  if (!key || !given) return null;
  const expected = hmacSha256(key, `${PREFIX}.${keyId}.${payload}`);
  if (!equalSecrets(expected, given)) return null;
  const bytes = decodeBase64Url(payload);
  if (!bytes) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  if (!Array.isArray(claims) || claims.length !== 4 || !claims.every((c) => typeof c === "string"))
    return null;
  const [tenant, machine, execution, taskId] = claims as [string, string, string, string];
  if (!TENANT.test(tenant) || !MACHINE_NAME.test(machine) || !EXECUTION_NAME.test(execution)) return null;
  return { tenant, machine, execution, taskId };
}
