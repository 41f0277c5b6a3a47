// Choice Rules (spec "Choice Rules"): a leaf rule has a Variable and exactly one comparison
// operator; a boolean rule has exactly one of And/Or/Not and no Variable. Only top-level rules
// transition (Next), since a nested rule only contributes a truth value to its parent.

import { assertNever } from "../../core/result.ts";
import { checkReferencePathField } from "./checks.ts";
import type { Edge } from "./context.ts";
import { at, type Diagnostics } from "./diagnostics.ts";
import { describe, has, isObject, type JsonObject, quote } from "./json.ts";
import { checkObjectTemplate } from "./payload-template.ts";
import { isTimestamp } from "./timestamp.ts";

type Operand = "string" | "number" | "boolean" | "timestamp" | "pattern" | "path";

const COMPARABLE: ReadonlyArray<[prefix: string, operand: Operand]> = [
  ["String", "string"],
  ["Numeric", "number"],
  ["Timestamp", "timestamp"],
];
const RELATIONS = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];

const OPERATORS: ReadonlyMap<string, Operand> = new Map<string, Operand>([
  ...COMPARABLE.flatMap(([prefix, operand]) =>
    RELATIONS.flatMap((relation): [string, Operand][] => [
      [`${prefix}${relation}`, operand],
      [`${prefix}${relation}Path`, "path"],
    ]),
  ),
  ["BooleanEquals", "boolean"],
  ["BooleanEqualsPath", "path"],
  ["StringMatches", "pattern"],
  ...["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"].map(
    (op): [string, Operand] => [op, "boolean"],
  ),
]);

const BOOLEAN_OPERATORS = ["And", "Or", "Not"] as const;
const NESTED_FIELDS: ReadonlySet<string> = new Set([
  "Variable",
  "Comment",
  ...BOOLEAN_OPERATORS,
  ...OPERATORS.keys(),
]);
const TOP_FIELDS: ReadonlySet<string> = new Set([...NESTED_FIELDS, "Next", "Assign"]);

/** A StringMatches pattern may escape only `*` and `\`; anything else after `\` is an error. */
function isValidPattern(pattern: string): boolean {
  return /^([^\\]|\\[*\\])*$/.test(pattern);
}

export function checkChoiceRule(
  diags: Diagnostics,
  rule: unknown,
  pointer: string,
  edges: Edge[] | undefined,
): void {
  const top = edges !== undefined;
  if (!isObject(rule)) {
    diags.error("INVALID_TYPE", pointer, `a Choice rule must be an object, not ${describe(rule)}`);
    return;
  }
  for (const key of Object.keys(rule)) {
    if ((top ? TOP_FIELDS : NESTED_FIELDS).has(key)) continue;
    const why =
      key === "Next" || key === "Assign"
        ? `${key} is only allowed on a top-level rule`
        : `a Choice rule does not allow the field ${quote(key)}`;
    diags.error(key === "Next" ? "INVALID_CHOICE_RULE" : "UNKNOWN_FIELD", at(pointer, key), why);
  }
  const booleans = BOOLEAN_OPERATORS.filter((key) => has(rule, key));
  const comparisons = Object.keys(rule).filter((key) => OPERATORS.has(key));
  if (booleans.length > 0) checkBooleanRule(diags, rule, pointer, booleans, comparisons);
  else checkLeafRule(diags, rule, pointer, comparisons);
  if (!top) return;
  checkObjectTemplate(diags, rule, "Assign", pointer);
  if (typeof rule.Next === "string") edges.push({ target: rule.Next, pointer: at(pointer, "Next") });
  else if (rule.Next === undefined)
    diags.error("INVALID_CHOICE_RULE", pointer, "a top-level Choice rule needs Next");
  else diags.error("INVALID_TYPE", at(pointer, "Next"), "Next must be a state name");
}

function checkBooleanRule(
  diags: Diagnostics,
  rule: JsonObject,
  pointer: string,
  booleans: readonly string[],
  comparisons: readonly string[],
): void {
  if (booleans.length > 1)
    diags.error(
      "INVALID_CHOICE_RULE",
      pointer,
      `a rule takes one of And, Or, Not; this one has ${booleans.join(", ")}`,
    );
  if (has(rule, "Variable"))
    diags.error(
      "INVALID_CHOICE_RULE",
      at(pointer, "Variable"),
      "Variable is not allowed on an And/Or/Not rule",
    );
  for (const op of comparisons)
    diags.error("INVALID_CHOICE_RULE", at(pointer, op), `${op} is not allowed beside And/Or/Not; nest it`);
  for (const key of booleans) {
    const value = rule[key];
    const p = at(pointer, key);
    if (key === "Not") {
      checkChoiceRule(diags, value, p, undefined);
    } else if (Array.isArray(value) && value.length > 0) {
      value.forEach((nested, index) => {
        checkChoiceRule(diags, nested, at(p, index), undefined);
      });
    } else {
      diags.error("INVALID_CHOICE_RULE", p, `${key} must be a non-empty array of Choice rules`);
    }
  }
}

function checkLeafRule(
  diags: Diagnostics,
  rule: JsonObject,
  pointer: string,
  comparisons: readonly string[],
): void {
  if (has(rule, "Variable")) checkReferencePathField(diags, rule, "Variable", pointer);
  else diags.error("INVALID_CHOICE_RULE", pointer, "a comparison rule needs Variable");
  if (comparisons.length !== 1) {
    const found = comparisons.length === 0 ? "none" : comparisons.join(", ");
    diags.error(
      "INVALID_CHOICE_RULE",
      pointer,
      `a comparison rule needs exactly one comparison operator; found ${found}`,
    );
  }
  for (const op of comparisons) checkOperand(diags, rule, op, pointer);
}

function checkOperand(diags: Diagnostics, rule: JsonObject, op: string, pointer: string): void {
  const operand = OPERATORS.get(op);
  const value = rule[op];
  const p = at(pointer, op);
  switch (operand) {
    case undefined:
      return;
    case "path":
      checkReferencePathField(diags, rule, op, pointer);
      return;
    case "string":
    case "number":
    case "boolean":
      if (typeof value !== operand)
        diags.error("INVALID_TYPE", p, `${op} compares with a ${operand}, not ${describe(value)}`);
      return;
    case "timestamp":
      if (typeof value !== "string" || !isTimestamp(value))
        diags.error("INVALID_TIMESTAMP", p, `${op} needs an RFC 3339 timestamp such as 2016-03-14T01:59:00Z`);
      return;
    case "pattern":
      if (typeof value !== "string")
        diags.error("INVALID_TYPE", p, `${op} needs a string pattern, not ${describe(value)}`);
      else if (!isValidPattern(value))
        diags.error("INVALID_STRING_MATCHES", p, "in StringMatches a backslash may only escape * or \\");
      return;
    default:
      assertNever(operand, "operand kind");
  }
}
