// Choice rule evaluation. Path reading is injected (`PathReader`) so this file stays independent
// of the JSONPath engine: the Choice state binds it to the state's effective input.

import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import type { ChoiceRule, ComparisonRule, JsonValue } from "../types.ts";
import { BINARY_OPERATORS, type BinaryOperator, TYPE_TESTS } from "./operators.ts";

export type PathRead = { found: true; value: JsonValue } | { found: false };
export type PathReader = (path: string) => StatesResult<PathRead>;

const BINARY = Object.keys(BINARY_OPERATORS) as BinaryOperator[];
const TYPE_TEST_NAMES = ["IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"] as const;

export function evaluateRule(rule: ChoiceRule, read: PathReader): StatesResult<boolean> {
  if ("And" in rule) {
    for (const inner of rule.And) {
      const r = evaluateRule(inner, read);
      if (!r.ok || !r.value) return r;
    }
    return succeed(true);
  }
  if ("Or" in rule) {
    for (const inner of rule.Or) {
      const r = evaluateRule(inner, read);
      if (!r.ok || r.value) return r;
    }
    return succeed(false);
  }
  if ("Not" in rule) {
    const r = evaluateRule(rule.Not, read);
    return r.ok ? succeed(!r.value) : r;
  }
  if ("Condition" in rule) {
    return failWith(StatesError.Runtime, "A Condition rule belongs to a JSONata Choice state");
  }
  return evaluateComparison(rule, read);
}

function evaluateComparison(rule: ComparisonRule, read: PathReader): StatesResult<boolean> {
  const variable = read(rule.Variable);
  if (!variable.ok) return variable;
  if (rule.IsPresent !== undefined) return succeed(variable.value.found === rule.IsPresent);
  for (const test of TYPE_TEST_NAMES) {
    const expected = rule[test];
    if (expected === undefined) continue;
    // A missing variable is of no type at all: every type test is false for it.
    const actual = variable.value.found && TYPE_TESTS[test](variable.value.value);
    return succeed(actual === expected);
  }
  for (const op of BINARY) {
    const literal = rule[op];
    const operandPath = op === "StringMatches" ? undefined : rule[`${op}Path` as keyof ComparisonRule];
    if (literal === undefined && operandPath === undefined) continue;
    if (!variable.value.found) return missing(rule.Variable);
    let operand: JsonValue;
    if (typeof operandPath === "string") {
      const r = read(operandPath);
      if (!r.ok) return r;
      if (!r.value.found) return missing(operandPath);
      operand = r.value.value;
    } else {
      operand = literal as JsonValue;
    }
    return succeed(BINARY_OPERATORS[op](variable.value.value, operand));
  }
  return failWith(StatesError.Runtime, `Choice rule on '${rule.Variable}' has no comparison operator`);
}

// Step Functions fails the execution (not just the rule) when a comparison reads a missing field.
const missing = (path: string): StatesResult<boolean> =>
  failWith(
    StatesError.Runtime,
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );
