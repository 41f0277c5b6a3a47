// The SigV4 canonical request and string to sign, computed from the request as it arrived — the
// same text the client's signer built, or the signatures differ. The rules are those of AWS's
// "Create a signed AWS API request" (path segments encoded twice for every service but S3, query
// pairs sorted, header values trimmed with inner runs of spaces folded).
import { hashHex } from "../../crypto/hashes";
import { ALGORITHM } from "./authorization";

export interface ArrivedRequest {
  method: string;
  /** The path as it was sent, percent-encoding included (URL.pathname). */
  path: string;
  /** URL.search, with its leading "?" or empty. */
  search: string;
  /** Lower-case name → value (as Headers.get joins repeated ones). */
  header: (name: string) => string | null;
}

/** RFC 3986 unreserved characters stay; everything else is %XX, upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const joined = `/${segments.map(uriEncode).join("/")}`;
  return segments.length > 0 && path.endsWith("/") ? `${joined}/` : joined;
}

export function canonicalQuery(search: string): string {
  if (search.length <= 1) return "";
  const pairs = search
    .slice(1)
    .split("&")
    .filter((p) => p !== "")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const [name, value] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const foldValue = (value: string) =>
  value
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();

export function canonicalRequest(
  request: ArrivedRequest,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const headers = signedHeaders.map((name) => `${name}:${foldValue(request.header(name) ?? "")}\n`).join("");
  return [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.search),
    headers,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function stringToSign(amzDate: string, credentialScope: string, canonical: string): string {
  return [ALGORITHM, amzDate, credentialScope, hashHex("SHA-256", canonical)].join("\n");
}
