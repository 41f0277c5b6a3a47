// HMAC-SHA-256 (RFC 2104), synchronous. The interpreter asks for a task token inside `step`, which
// is synchronous (`StepEnv.makeTaskToken`), so signing cannot use crypto.subtle there. The key is
// derived once, asynchronously, with HKDF (task-token.ts); only the MAC itself runs here, on the
// engine's own FIPS 180-4 SHA-256.
import { sha256 } from "../machine/intrinsics/hash/sha256.ts";

const BLOCK = 64;

const fromHex = (hex: string): Uint8Array => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
};

const digest = (data: Uint8Array): Uint8Array => fromHex(sha256(data));

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(key.length > BLOCK ? digest(key) : key);
  const inner = block.map((b) => b ^ 0x36);
  const outer = block.map((b) => b ^ 0x5c);
  return digest(concat(outer, digest(concat(inner, message))));
}

/** Compares without an early exit, so timing does not reveal how much of a MAC matched. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
