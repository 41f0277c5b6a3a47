// The one place that hashes and MACs synchronously: `States.Hash`, JSONata's `$hash` and the
// task-token MAC. They run inside the interpreter's `step`, which never awaits, so WebCrypto
// (always async) cannot serve them; workerd's `node:crypto` (nodejs_compat, implied by our
// compatibility date) is synchronous and backed by the runtime's native BoringSSL. It adds no
// bytes to the bundle and measured 6 to 340 times faster than the JavaScript implementations it replaced (README,
// "Libraries, and why").
import { createHash, createHmac } from "node:crypto";

/** The algorithms Step Functions' `States.Hash` and `$hash` accept, by their exact names. */
export const HASH_ALGORITHMS = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

export const isHashAlgorithm = (name: unknown): name is HashAlgorithm =>
  typeof name === "string" && (HASH_ALGORITHMS as readonly string[]).includes(name);

/** The digest of `data` (text is hashed as UTF-8) in lowercase hex, as Step Functions returns it. */
export function hashHex(algorithm: HashAlgorithm, data: string | Uint8Array): string {
  return createHash(NODE_NAMES[algorithm]).update(data).digest("hex");
}

/** HMAC-SHA-256 (RFC 2104 / RFC 4231). */
export function hmacSha256(key: Uint8Array, message: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(message).digest());
}

/** Compares MACs or digests without an early exit; only a length difference shows. */
export function equalSecrets(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
