// Verifying a bearer key without putting one object on every request's path: the key's id names
// its own ApiKeyObject, and a verified record is remembered in this isolate for at most
// KEY_CACHE_MS. Revocation therefore takes effect at once in the isolate that revoked it
// (forgetKey) and everywhere else within KEY_CACHE_MS.
import type { Config } from "../config";
import type { KeyRecord } from "../core/keys/contract";
import { sha256Hex } from "../crypto/digest";
import { apiKeyStub } from "../objects/names";
import { digestsEqual, parseKey } from "./key-format";
import type { Principal } from "./principal";

export const KEY_CACHE_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;

const cache = new Map<string, { record: KeyRecord | null; at: number }>();

let admin: { key: string; digest: Promise<string> } | undefined;
function adminDigest(key: string): Promise<string> {
  if (admin?.key !== key) admin = { key, digest: sha256Hex(key) };
  return admin.digest;
}

export async function verifyBearer(
  env: Env,
  config: Config,
  token: string,
  now = Date.now(),
): Promise<Principal | null> {
  // One SHA-256 per request: the presented secret's digest against a stored (or memoised) one.
  if (token.startsWith("esk_admin_")) {
    if (!config.adminKey) return null;
    const [presented, expected] = await Promise.all([sha256Hex(token), adminDigest(config.adminKey)]);
    return digestsEqual(presented, expected) ? { kind: "admin" } : null;
  }
  const parsed = parseKey(token);
  if (!parsed) return null;
  const record = await lookup(env, parsed.id, now);
  if (!record || record.revokedAt !== null) return null;
  if (!digestsEqual(await sha256Hex(parsed.secret), record.secretHash)) return null;
  return { kind: "key", id: record.id, tenant: record.tenant, scopes: record.scopes };
}

/** The key's record, from this isolate's cache (at most KEY_CACHE_MS old) or its object. */
export async function lookup(env: Env, id: string, now: number): Promise<KeyRecord | null> {
  const hit = cache.get(id);
  if (hit && now - hit.at < KEY_CACHE_MS) return hit.record;
  const record = await apiKeyStub(env, id).read();
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  cache.set(id, { record, at: now });
  return record;
}

/** Called by the revoking request so its own isolate refuses the key on the very next request. */
export function forgetKey(id: string): void {
  cache.delete(id);
}
