// What JSON.parse hides in a JSON text: nesting deeper than a limit, an object key given twice
// (JSON.parse keeps the last one without a word) and numbers a double cannot hold as written
// (json-number.ts). One linear pass with an explicit stack, so no input can overflow the call
// stack; each problem carries the JSON Pointer of the value it is about. It runs before JSON.parse
// (a text nested 100,000 deep is refused without building it), so it must end on any text; what
// it finds in malformed text is discarded, since JSON.parse then reports the syntax error.

import { numberProblem } from "./json-number";
import { toPointer } from "./json-pointer";

export interface JsonIssue {
  kind: "depth" | "duplicate_key" | "number";
  pointer: string;
  message: string;
}

/** A problem list stays readable, and a hostile text cannot make it large. */
export const MAX_ISSUES = 20;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const MINUS = 45;

/** One open object or array; objects remember the keys seen so far. */
interface Frame {
  keys: KeySet | undefined;
  expectKey: boolean;
}

/** Most objects have a handful of keys: a short array beats allocating a Set for each. */
class KeySet {
  private list: string[] = [];
  private set: Set<string> | undefined;

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    if (this.set) return this.set.size !== this.set.add(key).size;
    if (this.list.includes(key)) return false;
    this.list.push(key);
    if (this.list.length > 16) this.set = new Set(this.list);
    return true;
  }
}

export interface JsonScan {
  /** The text nests deeper than the limit: its only issue, and the scan stopped there. */
  tooDeep: boolean;
  issues: JsonIssue[];
}

export function scanJson(text: string, maxDepth: number): JsonScan {
  const issues: JsonIssue[] = [];
  const frames: Frame[] = [];
  /** The pointer to the value being read: one token per open container. */
  const path: (string | number)[] = [];
  const report = (kind: JsonIssue["kind"], message: string) => {
    issues.push({ kind, pointer: toPointer(path), message });
  };

  let i = 0;
  while (i < text.length && issues.length < MAX_ISSUES) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (frames.length === maxDepth) {
        report("depth", `the JSON is nested deeper than ${maxDepth} levels`);
        return { tooDeep: true, issues };
      }
      const object = c === 123;
      frames.push({ keys: object ? new KeySet() : undefined, expectKey: object });
      path.push(object ? "" : 0);
      i++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      frames.pop();
      path.pop();
      i++;
    } else if (c === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) path[path.length - 1] = (path[path.length - 1] as number) + 1;
      i++;
    } else if (c === QUOTE) {
      const top = frames[frames.length - 1];
      const end = stringEnd(text, i);
      if (end < 0) break;
      if (top?.keys && top.expectKey) {
        const key = decodeKey(text, i, end);
        path[path.length - 1] = key;
        if (!top.keys.add(key))
          report("duplicate_key", `duplicate key ${JSON.stringify(key)}: an object holds each key once`);
        top.expectKey = false;
      }
      i = end + 1;
    } else if (c === MINUS || (c >= 48 && c <= 57)) {
      const end = numberEnd(text, i);
      const problem = plainNumber(text, i, end) ? undefined : numberProblem(text.slice(i, end));
      if (problem) report("number", problem);
      i = end;
    } else i++; // whitespace, ':' and the letters of true, false and null
  }
  return { tooDeep: false, issues };
}

/**
 * At most 15 digits and no exponent: a value below 10^15, where a double holds every integer and
 * the decimal's own rounding is all there is. Only -0 (any spelling) needs a closer look. The
 * common case, checked without allocating.
 */
function plainNumber(text: string, start: number, end: number): boolean {
  let digits = 0;
  let nonZero = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 49 && c <= 57) nonZero = true;
    else if (c === 101 || c === 69) return false; // e E
    if (c >= 48 && c <= 57 && ++digits > 15) return false;
  }
  return nonZero || text.charCodeAt(start) !== MINUS;
}

function numberEnd(text: string, start: number): number {
  let i = start + 1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // digits . e E + -
    if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS)) break;
  }
  return i;
}

/**
 * The closing quote of the string opening at `start` (found with indexOf: strings may be long),
 * or -1 when there is none.
 */
export function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** Decoded, so "a" and "\u0061" are the same key. */
function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw; // a malformed escape: JSON.parse refuses the whole text anyway
  }
}
