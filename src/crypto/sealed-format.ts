import { decodeBase64Url, encodeBase64Url } from "../core/encoding";
import { KEY_ID_PATTERN, type KeyRing } from "./key-ring";

// A sealed value is one ASCII string: es1.<keyId>.<base64url iv>.<base64url ciphertext+tag>
//
// - "es1" versions the whole scheme (format, KDF labels, associated data); a future scheme gets a
//   new prefix and old values stay readable.
// - The key id is in clear so a reader knows which ring key opens it and the re-encryption job can
//   find values not yet under the primary without decrypting them.
// - Key ids match [A-Za-z0-9_-] and base64url has no ".", so "." splits the parts unambiguously.

export const SEALED_PREFIX = "es1";
export const IV_BYTES = 12; // 96-bit IV: the GCM size that needs no extra GHASH step
export const TAG_BYTES = 16; // full 128-bit GCM tag

export interface SealedParts {
  keyId: string;
  iv: Uint8Array;
  /** Ciphertext followed by the 16-byte tag, as WebCrypto's AES-GCM produces and consumes it. */
  data: Uint8Array;
}

export function formatSealed(parts: SealedParts): string {
  return `${SEALED_PREFIX}.${parts.keyId}.${encodeBase64Url(parts.iv)}.${encodeBase64Url(parts.data)}`;
}

/** Undefined when the string is not a well-formed sealed value (it is never partially trusted). */
export function parseSealed(sealed: string): SealedParts | undefined {
  const split = splitSealed(sealed);
  if (split === undefined) return undefined;
  const iv = decodeBase64Url(split.ivText);
  // A further "." in the payload is outside the base64url alphabet, so the decoder refuses it.
  const data = decodeBase64Url(split.dataText);
  if (iv?.length !== IV_BYTES || data === undefined || data.length < TAG_BYTES) return undefined;
  return { keyId: split.keyId, iv, data };
}

/** The key id a sealed value names, or undefined when the value is not in the sealed format. */
export function keyIdOf(sealed: string): string | undefined {
  const split = splitSealed(sealed);
  return split === undefined || split.dataText.includes(".") ? undefined : split.keyId;
}

// indexOf and slice rather than split("."): a sealed 256 KiB body is ~350 KB of text and open() is
// on every read, so the payload is located once and never copied into an array of parts.
function splitSealed(sealed: string): { keyId: string; ivText: string; dataText: string } | undefined {
  const head = `${SEALED_PREFIX}.`;
  if (!sealed.startsWith(head)) return undefined;
  const keyEnd = sealed.indexOf(".", head.length);
  const ivEnd = keyEnd < 0 ? -1 : sealed.indexOf(".", keyEnd + 1);
  if (ivEnd < 0) return undefined;
  const keyId = sealed.slice(head.length, keyEnd);
  if (!KEY_ID_PATTERN.test(keyId)) return undefined;
  return { keyId, ivText: sealed.slice(keyEnd + 1, ivEnd), dataText: sealed.slice(ivEnd + 1) };
}

/**
 * True when the value should be rewritten under the ring's primary key: it names another key.
 * A value that is not in the sealed format at all also answers true, so a re-encryption pass
 * visits it (and fails loudly on open) rather than skipping it silently.
 */
export function needsReencryption(sealed: string, ring: Pick<KeyRing, "primary">): boolean {
  return keyIdOf(sealed) !== ring.primary;
}
