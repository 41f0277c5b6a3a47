// The one order of indexed values. Sort values (and key values, before they are hashed) are JSON
// scalars, stored as bytes whose plain byte order (SQLite compares BLOBs with memcmp) is the order
// users see: null < false < true < numbers < strings, numbers by value, strings by their UTF-8
// bytes (code point order; wtf8.ts keeps lone surrogates apart). A tag byte puts the kinds in
// that order; the payload keeps order within a kind.
import type { JsonValue } from "../json/json-value";
import { decodeWtf8, encodeWtf8 } from "./wtf8";

export type JsonScalar = string | number | boolean | null;
export type ScalarKind = "null" | "boolean" | "number" | "string";

export const isScalar = (v: JsonValue | undefined): v is JsonScalar =>
  v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

export function kindOf(v: JsonScalar): ScalarKind {
  if (v === null) return "null";
  if (typeof v === "boolean") return "boolean";
  return typeof v === "number" ? "number" : "string";
}

const TAG_NULL = 0x01;
const TAG_FALSE = 0x02;
const TAG_TRUE = 0x03;
const TAG_NUMBER = 0x04;
const TAG_STRING = 0x05;

/** The first tag of each kind; a kind's values lie in [its tag, the next kind's tag). */
const KIND_TAG: Record<ScalarKind, number> = {
  null: TAG_NULL,
  boolean: TAG_FALSE,
  number: TAG_NUMBER,
  string: TAG_STRING,
};
const KIND_END: Record<ScalarKind, number> = {
  null: TAG_FALSE,
  boolean: TAG_NUMBER,
  number: TAG_STRING,
  string: TAG_STRING + 1,
};

export function encodeScalar(v: JsonScalar): Uint8Array {
  if (v === null) return Uint8Array.of(TAG_NULL);
  if (v === false) return Uint8Array.of(TAG_FALSE);
  if (v === true) return Uint8Array.of(TAG_TRUE);
  if (typeof v === "number") {
    const out = new Uint8Array(9);
    out[0] = TAG_NUMBER;
    const view = new DataView(out.buffer);
    view.setFloat64(1, v);
    // IEEE 754 bits read as unsigned big-endian order like the numbers once the sign is handled:
    // positives get the sign bit set, negatives have every bit flipped. (-0 never reaches here:
    // the JSON rules refuse it.)
    if (v >= 0) out[1]! |= 0x80;
    else for (let i = 1; i < 9; i++) out[i] = ~out[i]! & 0xff;
    return out;
  }
  const text = encodeWtf8(v);
  const out = new Uint8Array(text.length + 1);
  out[0] = TAG_STRING;
  out.set(text, 1);
  return out;
}

/** The value `encodeScalar` wrote; throws on bytes it never writes (a corrupted row). */
export function decodeScalar(bytes: Uint8Array): JsonScalar {
  switch (bytes[0]) {
    case TAG_NULL:
      return null;
    case TAG_FALSE:
      return false;
    case TAG_TRUE:
      return true;
    case TAG_NUMBER: {
      if (bytes.length !== 9) break;
      const raw = bytes.slice(1);
      if (raw[0]! & 0x80) raw[0]! &= 0x7f;
      else for (let i = 0; i < 8; i++) raw[i] = ~raw[i]! & 0xff;
      return new DataView(raw.buffer).getFloat64(0);
    }
    case TAG_STRING:
      return decodeWtf8(bytes.subarray(1));
  }
  throw new Error("not an encoded index value");
}

/** Every encoded value of `kind` is ≥ `from` and < `to`. */
export const kindBounds = (kind: ScalarKind) => ({
  from: Uint8Array.of(KIND_TAG[kind]),
  to: Uint8Array.of(KIND_END[kind]),
});

/**
 * Just above every string that begins with `prefix`: (WTF-)8 never holds the byte 0xFF, so the
 * prefix followed by 0xFF sorts after each of its extensions and before the next prefix.
 */
export function prefixEnd(prefix: string): Uint8Array {
  const start = encodeScalar(prefix);
  const out = new Uint8Array(start.length + 1);
  out.set(start);
  out[start.length] = 0xff;
  return out;
}

/** memcmp, as SQLite orders BLOBs. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
