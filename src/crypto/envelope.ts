import type { KeyRing } from "./key-ring";
import { formatSealed, IV_BYTES, needsReencryption, parseSealed, SEALED_PREFIX } from "./sealed-format";
import { type SealContext, SealError, type Sealer } from "./sealer";
import { type TenantKeyOptions, TenantKeys } from "./tenant-keys";

// AES-256-GCM envelope: a per-tenant key (see tenant-keys.ts), a fresh random 96-bit IV per seal,
// and associated data binding the ciphertext to its place.
//
// Invariant: a GCM (key, IV) pair must never repeat, or confidentiality and the tag both fail.
// IVs are random (no counter survives isolates and Durable Object restarts), and random 96-bit IVs
// stay safe for up to 2^32 seals per key; per-tenant keys put that budget on each tenant separately.

/** The Sealer contract plus what rotation needs; every EnvelopeSealer is a Sealer. */
export interface EnvelopeSealer extends Sealer {
  /** The key id new seals use. */
  readonly primaryKeyId: string;
  /** True when `sealed` names a key other than the primary (re-seal it on the next write). */
  needsReencryption(sealed: string): boolean;
}

const encoder = new TextEncoder();
// fatal: a decrypted payload that is not UTF-8 was not produced by seal(); refuse, don't repair.
// ignoreBOM: keep a leading U+FEFF the caller sealed; the default would silently strip it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function createSealer(ring: KeyRing, options: TenantKeyOptions = {}): EnvelopeSealer {
  const keys = new TenantKeys(ring, options);
  const primary = ring.primary;
  if (!keys.has(primary)) throw new RangeError(`the key ring's primary "${primary}" is not in the ring`);

  return {
    primaryKeyId: primary,

    needsReencryption: (sealed) => needsReencryption(sealed, { primary }),

    async seal(plaintext, context) {
      // TextEncoder would turn a lone surrogate into U+FFFD, and open() would return different text.
      if (!plaintext.isWellFormed()) throw new RangeError("plaintext is not well-formed UTF-16");
      const aad = associatedData(context);
      const key = await keys.forTenant(primary, context.tenant);
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const data = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: aad },
        key,
        encoder.encode(plaintext),
      );
      return formatSealed({ keyId: primary, iv, data: new Uint8Array(data) });
    },

    async open(sealed, context) {
      const parts = parseSealed(sealed);
      // The message never quotes the value: it may be large, and it is someone's stored data.
      if (parts === undefined) {
        throw new SealError(
          "undecryptable",
          `stored value is not a well-formed ${SEALED_PREFIX} sealed value`,
        );
      }
      if (!keys.has(parts.keyId)) {
        throw new SealError(
          "key_unavailable",
          `stored value was sealed with key "${parts.keyId}", which is not in ENCRYPTION_KEYS`,
          parts.keyId,
        );
      }
      const aad = associatedData(context);
      const key = await keys.forTenant(parts.keyId, context.tenant);
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: parts.iv, additionalData: aad },
          key,
          parts.data,
        );
      } catch {
        // GCM gives one answer for a changed byte, a wrong key and a wrong context: the tag failed.
        throw new SealError(
          "undecryptable",
          `stored value under key "${parts.keyId}" failed authentication (altered, or opened in the wrong place)`,
          parts.keyId,
        );
      }
      try {
        return decoder.decode(plain);
      } catch {
        throw new SealError("undecryptable", "stored value decrypted to invalid UTF-8", parts.keyId);
      }
    },
  };
}

/**
 * The associated data for a context: a JSON array, so no choice of strings can make two contexts
 * encode alike (["a/b","c"] vs ["a","b/c"]), and the version keeps its type (3 and "3" differ).
 * The scheme prefix is included so a future scheme's values can't be replayed as es1 ones.
 */
export function associatedData(context: SealContext): Uint8Array {
  const { tenant, kind, name, version } = context;
  // JSON writes NaN and ±Infinity as null, which would make them collide with each other.
  if (typeof version === "number" && !Number.isFinite(version)) {
    throw new RangeError("SealContext.version must be a finite number or a string");
  }
  return encoder.encode(JSON.stringify([SEALED_PREFIX, tenant, kind, name, version]));
}
