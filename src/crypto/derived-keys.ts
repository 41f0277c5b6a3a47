// HMAC keys derived by HKDF from the ring's primary key, one per purpose (its info label): what
// secret ids derived from a client's Idempotency-Key are made with (session ids). The ring comes
// parsed from the one config (src/config.ts); each key is derived once per isolate.
import type { KeyRing } from "./key-ring";
import { HKDF_SALT } from "./tenant-keys";

const derived = new WeakMap<KeyRing, Map<string, Promise<CryptoKey>>>();

export function derivedHmacKey(ring: KeyRing, info: string): Promise<CryptoKey> {
  let keys = derived.get(ring);
  if (!keys) {
    keys = new Map();
    derived.set(ring, keys);
  }
  let key = keys.get(info);
  if (!key) {
    const material = ring.keys.get(ring.primary)!;
    key = crypto.subtle
      .importKey("raw", material, "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: new TextEncoder().encode(info) },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
    keys.set(info, key);
  }
  return key;
}
