// A Choice rule as a short readable edge label (`$.x == 5`, `$.s matches "a*"`, `And(…)`), the way
// a reader of the diagram would say it, not the JSON it was written in.

import { truncate } from "./escape.ts";

export const MAX_CHOICE_LABEL = 40;

type Operator = "==" | "<" | "<=" | ">" | ">=" | "matches";

// Every ASL comparison operator is a type prefix plus one of these suffixes, with an optional
// `Path` suffix meaning "compare with the value at this path".
const SUFFIXES: readonly [string, Operator][] = [
  ["LessThanEquals", "<="],
  ["GreaterThanEquals", ">="],
  ["LessThan", "<"],
  ["GreaterThan", ">"],
  ["Equals", "=="],
];

const PREFIXES = ["String", "Numeric", "Boolean", "Timestamp"] as const;

const TYPE_TESTS: Record<string, string> = {
  IsNull: "null",
  IsPresent: "present",
  IsNumeric: "numeric",
  IsString: "a string",
  IsBoolean: "a boolean",
  IsTimestamp: "a timestamp",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function literal(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return "?";
}

function comparison(key: string): { op: Operator; isPath: boolean } | undefined {
  if (key === "StringMatches") return { op: "matches", isPath: false };
  const isPath = key.endsWith("Path");
  const base = isPath ? key.slice(0, -4) : key;
  const prefix = PREFIXES.find((p) => base.startsWith(p));
  if (prefix === undefined) return undefined;
  const rest = base.slice(prefix.length);
  const found = SUFFIXES.find(([suffix]) => suffix === rest);
  return found === undefined ? undefined : { op: found[1], isPath };
}

/** The full readable form of one rule (or nested rule); never throws on malformed input. */
export function describeRule(rule: unknown): string {
  if (!isRecord(rule)) return "?";
  // JSONata machines state the whole rule as one expression.
  if (typeof rule.Condition === "string") {
    return rule.Condition.replace(/^\s*\{%\s*/, "").replace(/\s*%\}\s*$/, "");
  }
  if (Array.isArray(rule.And)) return `And(${rule.And.map(describeRule).join(", ")})`;
  if (Array.isArray(rule.Or)) return `Or(${rule.Or.map(describeRule).join(", ")})`;
  if (rule.Not !== undefined) return `Not(${describeRule(rule.Not)})`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  for (const [key, value] of Object.entries(rule)) {
    const test = TYPE_TESTS[key];
    if (test !== undefined) return `${variable} is ${value === false ? "not " : ""}${test}`;
    const cmp = comparison(key);
    if (cmp === undefined) continue;
    const right = cmp.isPath && typeof value === "string" ? value : literal(value);
    return `${variable} ${cmp.op} ${right}`;
  }
  return `${variable} ?`;
}

/** The edge label: the readable rule, shortened so a long rule cannot widen the whole diagram. */
export function choiceLabel(rule: unknown, max = MAX_CHOICE_LABEL): string {
  return truncate(describeRule(rule), max);
}
