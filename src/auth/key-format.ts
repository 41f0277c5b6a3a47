// API keys look like `esk_<id>_<secret>`: a fixed prefix secret scanners can match, the key's
// id (which names the per-key record, so verification never needs a shared index), and 256 bits
// of randomness. Only SHA-256(secret) is stored: the secret is full-entropy, so a slow KDF adds nothing.

import { encodeBase64Url } from "../core/encoding";
import { sha256Hex } from "../crypto/digest";

export const KEY_PREFIX = "esk_";
const ID_PATTERN = /^[0-9a-f]{24}$/;
const KEY_PATTERN = /^esk_([0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  id: string;
  key: string;
  secretHash: string;
}

export async function issueKey(): Promise<IssuedKey> {
  const id = toHex(crypto.getRandomValues(new Uint8Array(12)));
  const secret = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { id, key: `${KEY_PREFIX}${id}_${secret}`, secretHash: await sha256Hex(secret) };
}

export function parseKey(token: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export const isKeyId = (id: string): boolean => ID_PATTERN.test(id);

/**
 * Compares two equal-length digests (hex) without leaking where they differ. Only the length
 * can show, and digests of one algorithm all have the same length.
 */
export function digestsEqual(a: string, b: string): boolean {
  const ea = encoder.encode(a);
  const eb = encoder.encode(b);
  return ea.byteLength === eb.byteLength && crypto.subtle.timingSafeEqual(ea, eb);
}

const encoder = new TextEncoder();

/** Compares two secrets of any length without leaking where they differ: both are hashed to equal length first. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([digest(a), digest(b)]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

const digest = (text: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));

const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
