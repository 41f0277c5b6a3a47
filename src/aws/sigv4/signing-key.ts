// The SigV4 key chain: kSecret → kDate → kRegion → kService → kSigning, each an HMAC-SHA-256 of
// the next scope element. A signing key is good for one day, one region and one service only,
// which is why the key object hands out kSigning and never the secret itself.
import { hmacSha256 } from "../../crypto/hashes";
import { TERMINATOR } from "./authorization";

const encoder = new TextEncoder();

export function signingKey(secret: string, date: string, region: string, service: string): Uint8Array {
  const kDate = hmacSha256(encoder.encode(`AWS4${secret}`), date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, TERMINATOR);
}

/** The request's signature: lower-case hex of HMAC(kSigning, string to sign). */
export function signatureOf(key: Uint8Array, toSign: string): string {
  return Array.from(hmacSha256(key, toSign), (b) => b.toString(16).padStart(2, "0")).join("");
}
