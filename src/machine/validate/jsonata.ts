// JSONata expressions in a definition: every `{% … %}` string of a JSONata state must be well
// formed and parse, and a string that only starts or ends like one (`{% 10 %`, `10 %}`) is an
// error rather than a silent literal. The variables an expression reads are collected for the
// check that each is assigned somewhere (variables.ts).

import { compileExpression, expressionOf, looksLikeExpression } from "../query/expression.ts";
import { at, type Diagnostics } from "./diagnostics.ts";
import { isObject } from "./json.ts";
import type { VariableUse } from "./variables.ts";

/** jsonata 2.0's own functions; `$eval` is left out on purpose: Step Functions removes it. */
const BUILTINS = new Set(
  (
    "sum count max min average string substring substringBefore substringAfter lowercase uppercase " +
    "length trim pad match contains replace split join formatNumber formatBase formatInteger " +
    "parseInteger number floor ceil round abs sqrt power random boolean not map zip filter single " +
    "reduce sift keys lookup append exists spread merge reverse each error assert type sort shuffle " +
    "distinct base64encode base64decode encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl " +
    "toMillis fromMillis clone now millis"
  ).split(" "),
);
/** What Step Functions adds, and `$states`. */
const PROVIDED = new Set(["partition", "range", "hash", "uuid", "parse", "states"]);

/** Checks every string inside `value` (any JSON) as a possible expression. */
export function checkExpressions(
  diags: Diagnostics,
  value: unknown,
  pointer: string,
  uses: VariableUse[],
): void {
  if (typeof value === "string") {
    checkExpressionString(diags, value, pointer, uses);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkExpressions(diags, item, at(pointer, index), uses);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) checkExpressions(diags, item, at(pointer, key), uses);
}

export function checkExpressionString(
  diags: Diagnostics,
  value: string,
  pointer: string,
  uses: VariableUse[],
): void {
  if (!looksLikeExpression(value)) return;
  const source = expressionOf(value);
  if (source === undefined) {
    diags.error(
      "INVALID_JSONATA",
      pointer,
      'a JSONata expression is written "{% <expression> %}", with one space inside each brace',
    );
    return;
  }
  const compiled = compileExpression(source);
  if (!compiled.ok) {
    diags.error("INVALID_JSONATA", pointer, `the JSONata expression does not parse: ${compiled.message}`);
    return;
  }
  const rootRead = readsMissingInput(compiled.expression.ast());
  if (rootRead !== undefined) {
    diags.error(
      "INVALID_JSONATA",
      pointer,
      `${rootRead} at the top level of an expression reads nothing in Step Functions: read the state input as $states.input`,
    );
  }
  const { bound, referenced } = variablesIn(compiled.expression.ast());
  if (referenced.has("eval")) {
    diags.error("INVALID_JSONATA", pointer, "$eval is not available in Step Functions; use $parse");
  }
  for (const name of referenced) {
    if (name === "" || name === "$" || name === "eval" || bound.has(name)) continue;
    if (BUILTINS.has(name) || PROVIDED.has(name)) continue;
    uses.push({ name, pointer });
  }
}

/** Variables an expression reads, and those it binds itself (`:=`, lambda arguments, `@$x`, `#$i`). */
function variablesIn(ast: unknown): { bound: Set<string>; referenced: Set<string> } {
  const bound = new Set<string>();
  const referenced = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const n = node as Record<string, unknown>;
    if (n.type === "variable" && typeof n.value === "string") referenced.add(n.value);
    if (n.type === "bind" && isObject(n.lhs) && typeof n.lhs.value === "string") bound.add(n.lhs.value);
    if (n.type === "lambda" && Array.isArray(n.arguments)) {
      for (const arg of n.arguments) if (isObject(arg) && typeof arg.value === "string") bound.add(arg.value);
    }
    if (typeof n.focus === "string") bound.add(n.focus);
    if (typeof n.index === "string") bound.add(n.index);
    for (const value of Object.values(n)) walk(value);
  };
  walk(ast);
  return { bound, referenced };
}

/**
 * `$`, `$$` or a bare field name where the expression's own input would be read (its top level:
 * not inside a path step after the first, a predicate, a sort or a lambda). Step Functions gives an
 * expression no input document and refuses these ("Transforming data with JSONata": you cannot
 * use `$` or `$$` at the top level, nor unqualified field names); they read nothing, so `$.a`, a
 * JSONPath habit, or `$exists(name)` would be an error or a silent `false` at run time.
 */
function readsMissingInput(node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  const children = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = node[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        const found = readsMissingInput(child);
        if (found) return found;
      }
    }
    return undefined;
  };
  switch (node.type) {
    case "variable":
      return node.value === "" ? "$" : node.value === "$" ? "$$" : undefined;
    case "name":
      return `the field name '${String(node.value)}'`;
    case "path":
      return Array.isArray(node.steps) ? readsMissingInput(stepOnly(node.steps[0])) : undefined;
    case "binary":
    case "apply":
      return children("lhs", "rhs");
    case "condition":
      return children("condition", "then", "else");
    case "function":
    case "partial":
      return children("arguments");
    case "block":
      return children("expressions");
    case "bind":
      return children("rhs");
    case "unary":
      if (node.value === "{" && Array.isArray(node.lhs))
        return node.lhs
          .map((pair) =>
            Array.isArray(pair) ? (readsMissingInput(pair[0]) ?? readsMissingInput(pair[1])) : undefined,
          )
          .find(Boolean);
      return children("expression", "expressions");
    default:
      return undefined;
  }
}

/** A path's first step without its predicates (`[…]`), which read the step's items, not the input. */
const stepOnly = (step: unknown): unknown => {
  if (!isObject(step)) return step;
  const { stages: _stages, predicate: _predicate, ...rest } = step;
  return rest;
};
