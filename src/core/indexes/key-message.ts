// What the blind index hashes: a generation's key values in one unambiguous byte string. Each
// value is length-prefixed and typed (scalar.ts), so ["a", "b"] and ["ab", ""] or 1 and "1" never
// hash alike; the generation is in it, so the same values hash differently in every index.
import type { JsonScalar } from "./scalar";
import { encodeScalar } from "./scalar";

export function keyMessage(gen: string, values: readonly JsonScalar[]): Uint8Array {
  const head = new TextEncoder().encode(`edgestate/index-key\n${gen}\n`);
  const parts = values.map(encodeScalar);
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + 4 + p.length, 0));
  out.set(head);
  let at = head.length;
  const view = new DataView(out.buffer);
  for (const part of parts) {
    view.setUint32(at, part.length);
    out.set(part, at + 4);
    at += 4 + part.length;
  }
  return out;
}

/** The shard an entry lives in: the hash's first four bytes, so every value of a key lands on one shard. */
export const shardOfHash = (hash: Uint8Array, shards: number): number =>
  new DataView(hash.buffer, hash.byteOffset, 4).getUint32(0) % shards;
