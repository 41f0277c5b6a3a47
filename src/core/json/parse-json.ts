// Parsing untrusted JSON text: bounded nesting before JSON.parse ever sees it.

import type { JsonValue } from "./json-value";

export const MAX_JSON_DEPTH = 64;

export type ParseResult = { ok: true; value: JsonValue } | { ok: false; message: string };

/**
 * The deepest nesting of arrays/objects in a JSON text, stopping early past `limit`.
 * A linear scan that skips string contents, so "[[[" inside a string does not count.
 */
export function nestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): ParseResult {
  if (nestingDepth(text, maxDepth) > maxDepth) {
    return { ok: false, message: `JSON is nested deeper than ${maxDepth} levels` };
  }
  let value: JsonValue;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  // 1e400 parses to Infinity, which JSON.stringify writes as null: the stored document would
  // silently differ from the one sent. Refuse it instead.
  if (!allFinite(value)) {
    return {
      ok: false,
      message: "JSON holds a number too large to represent (beyond ±1.7976931348623157e308)",
    };
  }
  return { ok: true, value };
}

/** Recursion is bounded: parseJson has already refused nesting deeper than maxDepth. */
function allFinite(value: JsonValue): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object") return true;
  return (Array.isArray(value) ? value : Object.values(value)).every(allFinite);
}
