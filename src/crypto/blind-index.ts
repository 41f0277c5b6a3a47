// The blind index: key values are stored as keyed hashes, so a shard can answer "entries whose key
// is X" for a reader who brings X, while its storage never holds X. The hash key is per tenant,
// derived by HKDF-SHA-256 from a ring key (never the AES key itself: its own info label), so two
// tenants' equal values never hash alike and a leaked index reveals no tenant's values.
//
// Synchronous on purpose: an entity hashes its key values inside its commit's transaction (where
// nothing may await), so the hash uses node:crypto (nodejs_compat) rather than WebCrypto.
import { hkdfSync } from "node:crypto";
import { hmacSha256 } from "./hashes";
import type { KeyRing } from "./key-ring";
import { HKDF_SALT } from "./tenant-keys";

/** 128 bits: no two key values of one index collide in practice, at half the bytes per entry. */
export const BLIND_HASH_BYTES = 16;
const INFO_PREFIX = "edgestate/v1/blind-index/";
const MAX_CACHED = 1024;

const derived = new WeakMap<KeyRing, Map<string, Uint8Array>>();

/** The tenant's hash key under ring key `keyId`; null when the ring no longer holds that key. */
function hashKey(ring: KeyRing, keyId: string, tenant: string): Uint8Array | null {
  const material = ring.keys.get(keyId);
  if (!material) return null;
  let keys = derived.get(ring);
  if (!keys) {
    keys = new Map();
    derived.set(ring, keys);
  }
  // Key ids never contain "/", so this cache key is unambiguous for any tenant.
  const cacheKey = `${keyId}/${tenant}`;
  let key = keys.get(cacheKey);
  if (key) {
    keys.delete(cacheKey);
  } else {
    const info = new TextEncoder().encode(INFO_PREFIX + tenant);
    key = new Uint8Array(hkdfSync("sha256", material, HKDF_SALT, info, 32));
  }
  keys.set(cacheKey, key);
  while (keys.size > MAX_CACHED) keys.delete(keys.keys().next().value as string);
  return key;
}

/** The blind hash of `message` for `tenant` under ring key `keyId`; null when that key left the ring. */
export function blindHash(
  ring: KeyRing,
  keyId: string,
  tenant: string,
  message: Uint8Array,
): Uint8Array | null {
  const key = hashKey(ring, keyId, tenant);
  return key ? hmacSha256(key, message).slice(0, BLIND_HASH_BYTES) : null;
}
