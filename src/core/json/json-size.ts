// The size of a JSON value as stored: the UTF-8 bytes of JSON.stringify(value), found without
// building that text. A JSON Patch uses it to keep a running size of the document it is patching,
// so a patch that grows the document past the size limit (a `copy` doubles it) is refused at the
// operation that does it, not after building the oversized text.
import { isJsonObject, type JsonValue } from "./json-value";

/**
 * The UTF-8 byte length of JSON.stringify(value), exact while it is at most `stopAbove`; past
 * that the walk stops and returns some number above `stopAbove`, so sizing a huge value costs
 * no more than sizing one just over the limit.
 */
export function jsonByteLength(value: JsonValue, stopAbove = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const visit = (node: JsonValue): boolean => {
    total += scalarOrBracketBytes(node);
    if (total > stopAbove) return false;
    if (Array.isArray(node)) {
      total += Math.max(node.length - 1, 0); // commas
      for (const item of node) if (!visit(item)) return false;
    } else if (isJsonObject(node)) {
      const keys = Object.keys(node);
      total += Math.max(keys.length - 1, 0) + keys.length; // commas and colons
      for (const key of keys) {
        total += stringBytes(key);
        if (!visit(node[key]!)) return false;
      }
    }
    return total <= stopAbove;
  };
  visit(value);
  return total;
}

function scalarOrBracketBytes(node: JsonValue): number {
  if (node === null) return 4;
  if (typeof node === "string") return stringBytes(node);
  if (typeof node === "number") return String(node).length; // JSON values are finite: ASCII digits
  if (typeof node === "boolean") return node ? 4 : 5;
  return 2; // [] or {}
}

// Control characters JSON.stringify writes as a two-character escape; the rest get \u00XX.
const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** Bytes of a string as JSON.stringify writes it: quotes, escapes, then UTF-8. */
export function stringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) bytes += SHORT_ESCAPES.has(c) ? 2 : 6;
    else if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      bytes += 6; // a lone surrogate is written as \uXXXX
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
