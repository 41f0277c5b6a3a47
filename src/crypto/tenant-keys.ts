import type { KeyRing } from "./key-ring";

// Per-tenant AES-256-GCM keys, derived by HKDF-SHA-256 from a ring key.
//
// Why per tenant: every GCM key sees at most one tenant's writes, so the random-IV collision bound
// (keep a key under ~2^32 encryptions with 96-bit random IVs) is spent per tenant rather than by the
// whole service, and a tenant's ciphertext can never open under another tenant's key even if the
// associated data were wrong.
//
// Derivation and import are the slow part of a seal, so derived keys are cached per sealer, per
// (keyId, tenant). The cache holds promises, so concurrent first requests for a tenant derive once,
// and it is bounded (least recently used goes first) so an isolate serving many tenants keeps a
// fixed footprint inside its 128 MB.

export const HKDF_SALT = new TextEncoder().encode("edgestate/v1/hkdf-salt");
export const HKDF_INFO_PREFIX = "edgestate/v1/tenant/";
export const DEFAULT_MAX_CACHED_KEYS = 1024;

export interface TenantKeyOptions {
  /** Upper bound on cached derived keys per sealer. */
  maxCachedKeys?: number;
}

export class TenantKeys {
  readonly #material: ReadonlyMap<string, Uint8Array>;
  readonly #maxCached: number;
  readonly #base = new Map<string, Promise<CryptoKey>>();
  readonly #derived = new Map<string, Promise<CryptoKey>>();

  constructor(ring: KeyRing, { maxCachedKeys = DEFAULT_MAX_CACHED_KEYS }: TenantKeyOptions = {}) {
    // Copy the material: the ring's bytes belong to the caller and must not change under us.
    this.#material = new Map([...ring.keys].map(([id, bytes]) => [id, bytes.slice()]));
    this.#maxCached = Math.max(1, maxCachedKeys);
  }

  has(keyId: string): boolean {
    return this.#material.has(keyId);
  }

  /** Number of derived keys currently cached (for tests and diagnostics). */
  get cachedCount(): number {
    return this.#derived.size;
  }

  /** The tenant's AES-GCM key under ring key `keyId`; the caller checks `has(keyId)` first. */
  forTenant(keyId: string, tenant: string): Promise<CryptoKey> {
    // Key ids never contain "/", so this cache key is unambiguous for any tenant string.
    const cacheKey = `${keyId}/${tenant}`;
    const cached = this.#derived.get(cacheKey);
    if (cached !== undefined) {
      this.#derived.delete(cacheKey); // re-insert: Map order is the recency order
      this.#derived.set(cacheKey, cached);
      return cached;
    }
    const derived = this.#derive(keyId, tenant);
    this.#derived.set(cacheKey, derived);
    // A failed derivation must not poison the cache for the life of the isolate.
    derived.catch(() => {
      if (this.#derived.get(cacheKey) === derived) this.#derived.delete(cacheKey);
    });
    this.#evictOverflow();
    return derived;
  }

  async #derive(keyId: string, tenant: string): Promise<CryptoKey> {
    const base = await this.#baseKey(keyId);
    return crypto.subtle.deriveKey(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: HKDF_SALT,
        // The prefix is fixed, so the tenant is exactly the rest: distinct tenants, distinct info.
        info: new TextEncoder().encode(HKDF_INFO_PREFIX + tenant),
      },
      base,
      { name: "AES-GCM", length: 256 },
      false, // non-extractable: a derived key cannot be read back out of the isolate
      ["encrypt", "decrypt"],
    );
  }

  #baseKey(keyId: string): Promise<CryptoKey> {
    let base = this.#base.get(keyId);
    if (base === undefined) {
      const material = this.#material.get(keyId);
      if (material === undefined) return Promise.reject(new Error(`no ring key "${keyId}"`));
      base = crypto.subtle.importKey("raw", material, "HKDF", false, ["deriveKey"]);
      this.#base.set(keyId, base);
      base.catch(() => this.#base.delete(keyId));
    }
    return base;
  }

  #evictOverflow(): void {
    while (this.#derived.size > this.#maxCached) {
      const oldest = this.#derived.keys().next();
      if (oldest.done) return;
      this.#derived.delete(oldest.value);
    }
  }
}
