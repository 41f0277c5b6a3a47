import type { ComparisonOperator, FilterExpression, FilterOperand } from "./json-path-ast.ts";
import { readSegments } from "./json-path-parser.ts";
import type { Cursor } from "./path-cursor.ts";

// Filter expressions `[?( ... )]` as Jayway reads them: `||`, `&&`, `!`, parentheses,
// comparisons (`==` `!=` `<` `<=` `>` `>=`, `=~ /regex/flags`) and bare paths as existence tests.

const OPERATORS: readonly ComparisonOperator[] = ["==", "!=", "<=", ">=", "<", ">", "=~"];

export function parseFilter(cursor: Cursor): FilterExpression {
  return readOr(cursor);
}

function readOr(cursor: Cursor): FilterExpression {
  let left = readAnd(cursor);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.startsWith("||")) return left;
    cursor.pos += 2;
    left = { kind: "or", left, right: readAnd(cursor) };
  }
}

function readAnd(cursor: Cursor): FilterExpression {
  let left = readUnary(cursor);
  for (;;) {
    cursor.skipSpaces();
    if (!cursor.startsWith("&&")) return left;
    cursor.pos += 2;
    left = { kind: "and", left, right: readUnary(cursor) };
  }
}

function readUnary(cursor: Cursor): FilterExpression {
  cursor.skipSpaces();
  if (cursor.peek() === "!" && cursor.peek(1) !== "=") {
    cursor.pos++;
    return { kind: "not", operand: readUnary(cursor) };
  }
  if (cursor.peek() === "(") {
    cursor.pos++;
    const inner = readOr(cursor);
    cursor.skipSpaces();
    cursor.expect(")");
    return inner;
  }
  const left = readOperand(cursor);
  cursor.skipSpaces();
  const op = OPERATORS.find((candidate) => cursor.startsWith(candidate));
  if (!op) {
    if (left.kind !== "path") cursor.fail("expected a comparison operator");
    return { kind: "exists", operand: left };
  }
  cursor.pos += op.length;
  cursor.skipSpaces();
  const right = op === "=~" ? readRegex(cursor) : readOperand(cursor);
  return { kind: "compare", op, left, right };
}

function readOperand(cursor: Cursor): FilterOperand {
  cursor.skipSpaces();
  const c = cursor.peek();
  if (c === "@" || c === "$") {
    cursor.pos++;
    return { kind: "path", root: c, segments: readSegments(cursor, true) };
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
