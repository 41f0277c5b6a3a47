// The one way JSON text enters edgestate: request bodies, execution input, machine definitions,
// States.StringToJson and HTTP task replies all parse here, so each follows the same rules.
// JSON.parse proves the text well-formed; scanJson then refuses what JSON.parse would silently
// change: nesting past the limit, a key given twice, a number a double cannot hold as written.

import { type JsonIssue, scanJson, stringEnd } from "./json-scan";
import type { JsonValue } from "./json-value";

export type { JsonIssue } from "./json-scan";

export const MAX_JSON_DEPTH = 64;

export type ParseResult =
  | { ok: true; value: JsonValue }
  | {
      ok: false;
      /** One line for a problem's detail; starts with "invalid JSON" for a syntax error. */
      message: string;
      /** What is wrong where (JSON Pointers into the text); empty for a syntax error. */
      issues: JsonIssue[];
      /**
       * Well-formed text refused for a duplicate key or a number: what JSON.parse made of it (the
       * last of two keys, rounded numbers). For a linter that goes on to report everything else;
       * never to be stored or acted on.
       */
      lossy?: JsonValue;
    };

/**
 * The deepest nesting of arrays/objects in a JSON text, stopping early past `limit`.
 * A linear scan that jumps over strings, so "[[[" inside a string does not count.
 */
export function nestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      const end = stringEnd(text, i);
      if (end < 0) return max; // unterminated: JSON.parse will say so
      i = end;
    } else if (ch === 91 /* [ */ || ch === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): ParseResult {
  // Scanned first: a hostile text nested 100,000 deep is refused before JSON.parse spends tens of
  // milliseconds building it.
  const scan = scanJson(text, maxDepth);
  if (scan.tooDeep) return { ok: false, message: scan.issues[0]!.message, issues: scan.issues };
  let value: JsonValue;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = `invalid JSON: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, message, issues: [] };
  }
  if (scan.issues.length === 0) return { ok: true, value };
  return { ok: false, message: describeIssues(scan.issues), issues: scan.issues, lossy: value };
}

/** "at /a/0: …", and how many more there are. */
export function describeIssues(issues: readonly JsonIssue[]): string {
  const [first] = issues as [JsonIssue];
  const where = first.pointer === "" ? "" : `at ${first.pointer}: `;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${where}${first.message}${more}`;
}
