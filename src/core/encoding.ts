// Base64 and base64url over Uint8Array, strict and canonical.
//
// workerd (compatibility_date 2026-11-01, and the older binary the Vitest pool pins) ships the
// TC39 `Uint8Array.fromBase64` / `toBase64` natively, so the hot paths (every seal/open) use them.
// Node 24 does not have them yet, and tsconfig's lib (es2024) does not declare them, so they are
// reached through a narrow local type and an atob/btoa fallback keeps this module portable.
//
// Decoders return undefined instead of throwing, and accept only the canonical encoding of the
// bytes (no whitespace, correct padding, zero trailing bits): one byte string has exactly one
// text form, so a changed character in a sealed value can never decode to the same bytes.
// Canonical form is checked by re-encoding and comparing, which catches every non-canonical input
// (whitespace, the other alphabet, stray padding) at a fraction of the cost of a validating regex
// on a large value (measured in workerd: ~30 µs vs ~300 µs for 350 KB).

type Alphabet = "base64" | "base64url";

interface NativeBase64Constructor {
  fromBase64(text: string, options: { alphabet: Alphabet; lastChunkHandling: "strict" }): Uint8Array;
}
interface NativeBase64Bytes {
  toBase64(options: { alphabet: Alphabet; omitPadding: boolean }): string;
}

const nativeCtor = Uint8Array as unknown as Partial<NativeBase64Constructor>;
const hasNative =
  typeof nativeCtor.fromBase64 === "function" &&
  typeof (Uint8Array.prototype as unknown as Partial<NativeBase64Bytes>).toBase64 === "function";

/** Standard base64 with `=` padding (the form `openssl rand -base64 32` prints). */
export function encodeBase64(bytes: Uint8Array): string {
  return encode(bytes, "base64", false);
}

/** Standard base64; padding may be omitted. Undefined for anything that is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  // Padding is all there or not there at all: "Zg=" is neither.
  const padded = text.length % 4 === 0 ? text : text.endsWith("=") ? undefined : padTo4(text);
  if (padded === undefined) return undefined;
  const bytes = decode(padded, "base64");
  return bytes !== undefined && encode(bytes, "base64", false) === padded ? bytes : undefined;
}

/** base64url without padding: safe inside `.`-separated tokens, URLs and header values. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes, "base64url", true);
}

/** base64url without padding. Undefined for anything that is not canonical unpadded base64url. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  const padded = padTo4(text);
  if (padded === undefined) return undefined;
  const bytes = decode(padded, "base64url");
  return bytes !== undefined && encode(bytes, "base64url", true) === text ? bytes : undefined;
}

function padTo4(text: string): string | undefined {
  const rest = text.length % 4;
  if (rest === 1) return undefined; // no byte count encodes to 4n+1 characters
  return rest === 0 ? text : text + "=".repeat(4 - rest);
}

function encode(bytes: Uint8Array, alphabet: Alphabet, omitPadding: boolean): string {
  if (hasNative) return (bytes as unknown as NativeBase64Bytes).toBase64({ alphabet, omitPadding });
  return portableEncode(bytes, alphabet, omitPadding);
}

function decode(padded: string, alphabet: Alphabet): Uint8Array | undefined {
  try {
    if (hasNative) {
      return (nativeCtor as NativeBase64Constructor).fromBase64(padded, {
        alphabet,
        lastChunkHandling: "strict",
      });
    }
    return portableDecode(padded, alphabet);
  } catch {
    // Malformed input is an expected outcome here; callers turn undefined into their own error.
    return undefined;
  }
}

// String.fromCharCode takes its bytes as arguments; chunking keeps large payloads under the
// engine's argument-count limit.
const CHUNK = 0x8000;

function portableEncode(bytes: Uint8Array, alphabet: Alphabet, omitPadding: boolean): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  let text = btoa(binary);
  if (alphabet === "base64url") text = text.replaceAll("+", "-").replaceAll("/", "_");
  return omitPadding ? text.replace(/=+$/, "") : text;
}

function portableDecode(padded: string, alphabet: Alphabet): Uint8Array {
  const standard = alphabet === "base64url" ? padded.replaceAll("-", "+").replaceAll("_", "/") : padded;
  const binary = atob(standard);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The atob/btoa implementation, exported so tests can hold it to the native one. */
export const portableBase64 = { encode: portableEncode, decode: portableDecode };
