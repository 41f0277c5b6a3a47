// Reading what a Signature Version 4 request claims: the Authorization header's credential scope,
// signed headers and signature, and the time it says it was signed. Nothing here is trusted yet;
// verify.ts checks the claims against the request and the key's secret.
import { type AwsResult, awsFail, awsOk } from "../errors";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const SERVICE = "states";
export const TERMINATOR = "aws4_request";

export interface SignatureClaims {
  accessKeyId: string;
  /** YYYYMMDD, from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case names, in the order the client listed them (SigV4 requires sorted). */
  signedHeaders: string[];
  /** 64 lower-case hex characters. */
  signature: string;
  /** `X-Amz-Date` (or `Date`) as sent: YYYYMMDD'T'HHMMSS'Z'. */
  amzDate: string;
  /** Epoch ms of `amzDate`. */
  signedAt: number;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const REGION = /^[a-z0-9-]{1,32}$/;

const incomplete = (message: string) => awsFail("IncompleteSignatureException", message);

/** Epoch ms of a SigV4 timestamp, or null when it is not one. */
export function parseAmzDate(text: string): number | null {
  const m = AMZ_DATE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // 20240231T… is not a date; Date.UTC would roll it over to March.
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : null;
}

/**
 * The claims of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
 * `amzDate` is the request's X-Amz-Date header (or, failing that, its Date header).
 */
export function parseAuthorization(
  header: string | undefined,
  amzDate: string | undefined,
): AwsResult<SignatureClaims> {
  if (header === undefined || header.trim() === "") {
    return awsFail("MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  const space = header.indexOf(" ");
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return incomplete(`Unsupported authorization type '${algorithm}': sign requests with ${ALGORITHM}.`);
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return incomplete(`Authorization header element '${part.trim()}' is not a key=value pair.`);
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return incomplete(`Authorization header names '${name}' twice.`);
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  for (const [name, value] of [
    ["Credential", credential],
    ["SignedHeaders", signedHeaders],
    ["Signature", signature],
  ] as const) {
    if (!value) return incomplete(`Authorization header requires '${name}' parameter.`);
  }
  const scope = credential!.split("/");
  if (scope.length !== 5 || scope.some((s) => s === "")) {
    return incomplete(
      `Credential should be scoped to a valid region and service: '<access key id>/<date>/<region>/${SERVICE}/${TERMINATOR}'.`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{8}$/.test(scopeDate) || !REGION.test(region)) {
    return incomplete(
      `Credential should be scoped to a valid date and region, not '${scopeDate}/${region}'.`,
    );
  }
  if (service !== SERVICE) {
    return awsFail(
      "InvalidSignatureException",
      `Credential should be scoped to correct service: '${SERVICE}'.`,
    );
  }
  if (terminator !== TERMINATOR) {
    return awsFail(
      "InvalidSignatureException",
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
    );
  }
  if (!/^[0-9a-f]{64}$/.test(signature!)) {
    return incomplete("Signature must be 64 lower-case hexadecimal characters.");
  }
  const headers = signedHeaders!.split(";");
  if (headers.some((h) => h === "" || h !== h.toLowerCase())) {
    return incomplete("SignedHeaders must be lower-case header names separated by ';'.");
  }
  if (!headers.includes("host")) return incomplete("SignedHeaders must include 'host'.");
  if (amzDate === undefined) {
    return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === null) {
    return incomplete(`Date must be in ISO-8601 'basic format' (yyyyMMdd'T'HHmmss'Z'), not '${amzDate}'.`);
  }
  if (amzDate.slice(0, 8) !== scopeDate) {
    return awsFail(
      "InvalidSignatureException",
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`,
    );
  }
  return awsOk({
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: headers,
    signature: signature!,
    amzDate,
    signedAt,
  });
}
