import { parsePath } from "../paths/json-path.ts";
import type { ParseResult } from "../paths/json-path-ast.ts";
import { Cursor, PathSyntaxError } from "../paths/path-cursor.ts";
import type { IntrinsicArgument, IntrinsicCall } from "./ast.ts";
import { INTRINSIC_FUNCTIONS } from "./registry.ts";

/** Step Functions allows up to 10 intrinsic functions nested within one field. */
export const MAX_INTRINSIC_NESTING = 10;

const CALL_START = /^\s*States\.[A-Za-z0-9]+\s*\(/;

/**
 * True when a `.$` value is meant as an intrinsic call rather than a path (it starts with
 * `States.<Name>(`). Whether the call is well-formed is `parseIntrinsic`'s job.
 */
export const isIntrinsicCall = (expr: string): boolean => CALL_START.test(expr);

/** Parses `States.Name(arg, …)`; checks names, argument counts, literals, paths and nesting. */
export function parseIntrinsic(expr: string): ParseResult<IntrinsicCall> {
  const cursor = new Cursor(expr);
  try {
    cursor.skipSpaces();
    const call = readCall(cursor, 1);
    cursor.skipSpaces();
    if (!cursor.done) cursor.fail("unexpected text after the closing parenthesis");
    return { ok: true, value: call };
  } catch (error) {
    if (error instanceof PathSyntaxError)
      return { ok: false, message: error.message, position: error.position };
    throw error;
  }
}

function readCall(cursor: Cursor, depth: number): IntrinsicCall {
  const match = /^States\.[A-Za-z0-9]+/.exec(cursor.src.slice(cursor.pos));
  if (!match) cursor.fail("expected an intrinsic function such as States.Format(…)");
  const name = match[0];
  const fn = INTRINSIC_FUNCTIONS.get(name);
  if (!fn) cursor.fail(`unknown intrinsic function ${name}`);
  if (depth > MAX_INTRINSIC_NESTING) {
    cursor.fail(`intrinsic functions can be nested at most ${MAX_INTRINSIC_NESTING} deep`);
  }
  cursor.pos += name.length;
  cursor.skipSpaces();
  cursor.expect("(");
  const args: IntrinsicArgument[] = [];
  cursor.skipSpaces();
  if (cursor.peek() === ")") {
    cursor.pos++;
  } else {
    for (;;) {
      cursor.skipSpaces();
      args.push(readArgument(cursor, depth));
      cursor.skipSpaces();
      if (cursor.peek() === ",") {
        cursor.pos++;
        continue;
      }
      cursor.expect(")");
      break;
    }
  }
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    const expected =
      fn.minArgs === fn.maxArgs
        ? `${fn.minArgs}`
        : fn.maxArgs === Number.POSITIVE_INFINITY
          ? `at least ${fn.minArgs}`
          : `${fn.minArgs} to ${fn.maxArgs}`;
    cursor.fail(`${name} takes ${expected} argument(s), got ${args.length}`);
  }
  return { kind: "call", name, args };
}

function readArgument(cursor: Cursor, depth: number): IntrinsicArgument {
  const c = cursor.peek();
  if (c === "'") return readString(cursor);
  if (c === "$") return readPath(cursor);
  if (cursor.startsWith("States.")) return readCall(cursor, depth + 1);
  for (const [word, value] of [
    ["true", true],
    ["false", false],
  ] as const) {
    if (cursor.startsWith(word)) {
      cursor.pos += word.length;
      return { kind: "boolean", value };
    }
  }
  if (cursor.startsWith("null")) {
    cursor.pos += 4;
    return { kind: "null" };
  }
  const number = cursor.readNumber();
  if (number === null)
    cursor.fail("expected a string in single quotes, a number, true, false, null, a path or a call");
  return { kind: "number", value: number };
}

/** `'…'` with the reserved characters escaped: `\'`, `\{`, `\}`, `\\`. */
function readString(cursor: Cursor): IntrinsicArgument {
  cursor.expect("'");
  const start = cursor.pos;
  let value = "";
  while (!cursor.done && cursor.peek() !== "'") {
    if (cursor.peek() === "\\") {
      const next = cursor.peek(1);
      if (next === "") cursor.fail("unterminated escape");
      // Only the reserved characters are escapes; any other backslash is kept as written.
      value += "'{}\\".includes(next) ? next : `\\${next}`;
      cursor.pos += 2;
    } else {
      value += cursor.peek();
      cursor.pos++;
    }
  }
  const raw = cursor.src.slice(start, cursor.pos);
  if (cursor.done) cursor.fail("unterminated string literal");
  cursor.pos++;
  return { kind: "string", value, raw };
}

/** A path argument runs to the next `,` or `)` that is not inside brackets or quotes. */
function readPath(cursor: Cursor): IntrinsicArgument {
  const start = cursor.pos;
  let depth = 0;
  let quote = "";
  while (!cursor.done) {
    const c = cursor.peek();
    if (quote) {
      if (c === "\\") cursor.pos++;
      else if (c === quote) quote = "";
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      if (depth === 0) break;
      depth--;
    } else if (c === "," && depth === 0) break;
    cursor.pos++;
  }
  const text = cursor.src.slice(start, cursor.pos).trimEnd();
  const parsed = parsePath(text);
  if (!parsed.ok)
    throw new PathSyntaxError(`invalid path '${text}': ${parsed.message}`, start + parsed.position);
  return { kind: "path", path: parsed.value };
}
