import type { ComparisonOperator, FilterExpression, FilterOperand, Segment } from "./json-path-ast.ts";
import type { Cursor } from "./path-cursor.ts";

/**
 * Reads the segments of a path embedded in a filter (`@.a.b`). The path parser passes its own, so
 * the two parsers, which contain each other, do not import each other.
 */
export type SegmentReader = (cursor: Cursor, embedded: boolean) => Segment[];

// Filter expressions `[?( ... )]` as Jayway reads them: `||`, `&&`, `!`, parentheses,
// comparisons (`==` `!=` `<` `<=` `>` `>=`, `=~ /regex/flags`) and bare paths as existence tests.

const OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "<", ">", "=~"];

export function parseFilter(cursor: Cursor, segments: SegmentReader): FilterExpression {
  return readOr(cursor, segments);
}

function readOr(cursor: Cursor, segments: SegmentReader): FilterExpression {
  let left = readAnd(cursor, segments);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.startsWith("||")) return left;
    cursor.pos += 2;
    left = { kind: "or", left, right: readAnd(cursor, segments) };
  }
}

function readAnd(cursor: Cursor, segments: SegmentReader): FilterExpression {
  let left = readUnary(cursor, segments);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.startsWith("&&")) return left;
    cursor.pos += 2;
    left = { kind: "and", left, right: readUnary(cursor, segments) };
  }
}

function readUnary(cursor: Cursor, segments: SegmentReader): FilterExpression {
  cursor.skipSpaces();
  if (cursor.peek() === "!" && cursor.peek(1) !== "=") {
    cursor.pos++;
    return { kind: "not", operand: readUnary(cursor, segments) };
  }
  if (cursor.peek() === "(") {
    cursor.pos++;
    const inner = readOr(cursor, segments);
    cursor.skipSpaces();
    cursor.expect(")");
    return inner;
  }
  const left = readOperand(cursor, segments);
  cursor.skipSpaces();
  const op = OPERATORS.find((candidate) => cursor.startsWith(candidate));
  if (!op) {
    if (left.kind !== "path") cursor.fail("expected a comparison operator");
    return { kind: "exists", operand: left };
  }
  cursor.pos += op.length;
  cursor.skipSpaces();
  const right = op === "=~" ? readRegex(cursor) : readOperand(cursor, segments);
  return { kind: "compare", op, left, right };
}

function readOperand(cursor: Cursor, segments: SegmentReader): FilterOperand {
  cursor.skipSpaces();
  const c = cursor.peek();
  if (c === "@" || c === "$") {
    cursor.pos++;
    return { kind: "path", root: c, segments: segments(cursor, true) };
  }
  if (c === "'" || c === '"') return { kind: "literal", value: cursor.readQuoted() };
  for (const [word, value] of [
    ["true", true],
    ["false", false],
    ["null", null],
  ] as const) {
    if (cursor.startsWith(word)) {
      cursor.pos += word.length;
      return { kind: "literal", value };
    }
  }
  const number = cursor.readNumber();
  if (number === null) cursor.fail("expected a value, '@' or '$'");
  return { kind: "literal", value: number };
}

function readRegex(cursor: Cursor): FilterOperand {
  cursor.expect("/");
  let source = "";
  while (!cursor.done && cursor.peek() !== "/") {
    if (cursor.peek() === "\\") {
      source += cursor.peek();
      cursor.pos++;
    }
    source += cursor.peek();
    cursor.pos++;
  }
  cursor.expect("/");
  const flags = /^[a-z]*/.exec(cursor.src.slice(cursor.pos))?.[0] ?? "";
  cursor.pos += flags.length;
  try {
    new RegExp(source, flags);
  } catch {
    // The RegExp constructor's message varies by engine; the position is what a user needs.
    cursor.fail("invalid regular expression");
  }
  return { kind: "regex", source, flags };
}
