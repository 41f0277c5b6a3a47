// Checking a SigV4 request against a signing key: fresh enough, every header that steers it
// signed, the body the one that was signed, and the signature the one the key makes. Pure: the
// caller brings the key (derived by the key's own object) and the clock.
import { equalSecrets, hashHex } from "../../crypto/hashes";
import { type AwsResult, awsFail, awsOk } from "../errors";
import { type SignatureClaims, TERMINATOR } from "./authorization";
import { type ArrivedRequest, canonicalRequest, stringToSign } from "./canonical";
import { signatureOf } from "./signing-key";

/** AWS refuses a signature more than 15 minutes away from its own clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const basic = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

export function checkFreshness(claims: SignatureClaims, now: number): AwsResult<null> {
  if (claims.signedAt < now - MAX_CLOCK_SKEW_MS) {
    return awsFail(
      "InvalidSignatureException",
      `Signature expired: ${claims.amzDate} is now earlier than ${basic(now - MAX_CLOCK_SKEW_MS)} (${basic(now)} - 15 min.)`,
    );
  }
  if (claims.signedAt > now + MAX_CLOCK_SKEW_MS) {
    return awsFail(
      "InvalidSignatureException",
      `Signature not yet current: ${claims.amzDate} is still later than ${basic(now + MAX_CLOCK_SKEW_MS)} (${basic(now)} + 15 min.)`,
    );
  }
  return awsOk(null);
}

/**
 * Headers whose value decides what the request does. Left unsigned, any of them could be changed
 * in flight without breaking the signature (X-Amz-Target turns a describe into a delete).
 */
const MUST_SIGN = ["host", "content-type"];

export function verifySignature(
  request: ArrivedRequest,
  body: Uint8Array,
  claims: SignatureClaims,
  key: Uint8Array,
  presentHeaders: Iterable<string>,
): AwsResult<null> {
  const signed = new Set(claims.signedHeaders);
  for (const name of presentHeaders) {
    const lower = name.toLowerCase();
    if ((lower.startsWith("x-amz-") || MUST_SIGN.includes(lower)) && !signed.has(lower)) {
      return awsFail(
        "IncompleteSignatureException",
        `Header '${lower}' must be signed (list it in SignedHeaders).`,
      );
    }
  }
  const payloadHash = hashHex("SHA-256", body);
  const declared = request.header("x-amz-content-sha256");
  if (declared !== null && declared !== payloadHash) {
    return awsFail(
      "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  const scope = `${claims.scopeDate}/${claims.region}/${claims.service}/${TERMINATOR}`;
  const expected = signatureOf(
    key,
    stringToSign(claims.amzDate, scope, canonicalRequest(request, claims.signedHeaders, payloadHash)),
  );
  const encoder = new TextEncoder();
  if (!equalSecrets(encoder.encode(expected), encoder.encode(claims.signature))) {
    return awsFail(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return awsOk(null);
}
