// The binary comparison operators of Choice rules. Each takes the Variable's value and the
// operand (literal, or read from the input for the `…Path` form); a value of the wrong type
// simply does not match, as in Step Functions.

import type { ComparisonOperator, JsonValue } from "../types.ts";
import { stringMatches } from "./string-matches.ts";
import { parseTimestamp } from "./timestamps.ts";

/** The operators that compare the variable with an operand; the `Is…` ones only test its type. */
export type BinaryOperator = Exclude<ComparisonOperator, `Is${string}`>;

type Ordering = (a: number) => boolean;
const orderings: Record<
  "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals",
  Ordering
> = {
  Equals: (c) => c === 0,
  LessThan: (c) => c < 0,
  GreaterThan: (c) => c > 0,
  LessThanEquals: (c) => c <= 0,
  GreaterThanEquals: (c) => c >= 0,
};

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function ordered(kind: "String" | "Numeric" | "Timestamp", order: Ordering) {
  return (value: JsonValue, operand: JsonValue): boolean => {
    if (kind === "String") {
      return (
        typeof value === "string" && typeof operand === "string" && order(compareStrings(value, operand))
      );
    }
    if (kind === "Numeric") {
      return typeof value === "number" && typeof operand === "number" && order(value - operand);
    }
    const a = parseTimestamp(value);
    const b = parseTimestamp(operand);
    return a !== null && b !== null && order(a - b);
  };
}

export const BINARY_OPERATORS: Record<BinaryOperator, (value: JsonValue, operand: JsonValue) => boolean> = {
  StringEquals: ordered("String", orderings.Equals),
  StringLessThan: ordered("String", orderings.LessThan),
  StringGreaterThan: ordered("String", orderings.GreaterThan),
  StringLessThanEquals: ordered("String", orderings.LessThanEquals),
  StringGreaterThanEquals: ordered("String", orderings.GreaterThanEquals),
  StringMatches: (value, operand) =>
    typeof value === "string" && typeof operand === "string" && stringMatches(value, operand),
  NumericEquals: ordered("Numeric", orderings.Equals),
  NumericLessThan: ordered("Numeric", orderings.LessThan),
  NumericGreaterThan: ordered("Numeric", orderings.GreaterThan),
  NumericLessThanEquals: ordered("Numeric", orderings.LessThanEquals),
  NumericGreaterThanEquals: ordered("Numeric", orderings.GreaterThanEquals),
  BooleanEquals: (value, operand) => typeof value === "boolean" && value === operand,
  TimestampEquals: ordered("Timestamp", orderings.Equals),
  TimestampLessThan: ordered("Timestamp", orderings.LessThan),
  TimestampGreaterThan: ordered("Timestamp", orderings.GreaterThan),
  TimestampLessThanEquals: ordered("Timestamp", orderings.LessThanEquals),
  TimestampGreaterThanEquals: ordered("Timestamp", orderings.GreaterThanEquals),
};

export type TypeTest = "IsNull" | "IsPresent" | "IsNumeric" | "IsString" | "IsBoolean" | "IsTimestamp";

/** Type tests on a value that exists (IsPresent is decided before, on presence alone). */
export const TYPE_TESTS: Record<Exclude<TypeTest, "IsPresent">, (value: JsonValue) => boolean> = {
  IsNull: (value) => value === null,
  IsNumeric: (value) => typeof value === "number",
  IsString: (value) => typeof value === "string",
  IsBoolean: (value) => typeof value === "boolean",
  IsTimestamp: (value) => parseTimestamp(value) !== null,
};
