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

/**
 * Per key id: its record, and once a request has shown it, the secret that matched — so the next
 * request compares bytes (in constant time) instead of hashing. Isolate memory is trusted in our
 * threat model; it holds ADMIN_KEY and every record already.
 */
interface Cached {
  record: KeyRecord | null;
  at: number;
  secret?: Uint8Array;
  principal?: Principal;
}
const cache = new Map<string, Cached>();
const encoder = new TextEncoder();

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
  const entry = await cachedEntry(env, parsed.id, now);
  const record = entry.record;
  if (!record || record.revokedAt !== null) return null;
  const presented = encoder.encode(parsed.secret);
  if (entry.secret && entry.principal) {
    // Both are the 43 characters of a key's secret (parseKey), so only equal bytes can match.
    const same =
      presented.byteLength === entry.secret.byteLength &&
      crypto.subtle.timingSafeEqual(presented, entry.secret);
    return same ? entry.principal : null;
  }
  if (!digestsEqual(await sha256Hex(parsed.secret), record.secretHash)) return null;
  const principal: Principal = { kind: "key", id: record.id, tenant: record.tenant, scopes: record.scopes };
  Object.assign(entry, { secret: presented, principal });
  return principal;
}

/** The key's record, from this isolate's cache (at most KEY_CACHE_MS old) or its object. */
export async function lookup(env: Env, id: string, now: number): Promise<KeyRecord | null> {
  return (await cachedEntry(env, id, now)).record;
}

async function cachedEntry(env: Env, id: string, now: number): Promise<Cached> {
  const hit = cache.get(id);
  if (hit && now - hit.at < KEY_CACHE_MS) return hit;
  const record = await apiKeyStub(env, id).read();
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  const entry: Cached = { record, at: now };
  cache.set(id, entry);
  return entry;
}

/** Called by the revoking request so its own isolate refuses the key on the very next request. */
export function forgetKey(id: string): void {
  cache.delete(id);
}
