// Evaluating JSONata for a state field: one expression (`"{% … %}"`) or a template (any JSON
// value whose strings may be expressions, as Step Functions reads Arguments, Output, Assign and
// ItemSelector). Evaluation is asynchronous (jsonata 2 awaits internally) but does no I/O: it
// reads only the bindings given here, so `step` stays a pure function of its arguments.

import type { JsonValue } from "../types.ts";
import { compileExpression, describeJsonataError, expressionOf } from "./expression.ts";
import { type FunctionEnv, stepFunctions } from "./functions.ts";

export const QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";

/**
 * Evaluation steps one expression may take. jsonata has no step limit of its own and a recursive
 * lambda could run until the isolate's CPU limit; counting steps (never time) keeps the verdict
 * deterministic on replay.
 */
export const MAX_EVALUATION_STEPS = 500_000;

/** What `$states` holds for a field; absent members are absent in the expression too. */
export interface StatesBinding {
  input: JsonValue;
  context: unknown;
  result?: JsonValue;
  errorOutput?: JsonValue;
}

export interface QueryScope {
  states: StatesBinding;
  variables: Readonly<Record<string, JsonValue>>;
  env: FunctionEnv;
}

/** A JSONata failure: QueryEvaluationError with the field it happened in (EvaluationFailed's `location`). */
export interface QueryFailure {
  ok: false;
  error: string;
  cause: string;
  location: string;
}

export type QueryResult<T> = { ok: true; value: T } | QueryFailure;

const BUDGET = "edgestate budget";
const ENTRY = Symbol.for("jsonata.__evaluate_entry");
const prepared = new WeakSet<object>();

function countStep(_expr: unknown, _input: unknown, environment: { lookup(name: string): unknown }): void {
  const budget = environment.lookup(BUDGET) as { steps: number } | undefined;
  if (budget && ++budget.steps > MAX_EVALUATION_STEPS) {
    throw {
      code: "D9000",
      message: `the expression took more than ${MAX_EVALUATION_STEPS} evaluation steps`,
    };
  }
}

const failure = (location: string, cause: string): QueryFailure => ({
  ok: false,
  error: QUERY_EVALUATION_ERROR,
  cause,
  location,
});

/** Sequences become plain JSON arrays; undefined stays undefined. */
const toJson = (value: unknown): JsonValue | undefined =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value) ?? "null") as JsonValue);

/**
 * What in a result has no JSON form, if anything. A function (a lambda, a builtin such as `$sum`,
 * a regex): serialised as is it became jsonata's internals (a lambda's closure, with the
 * isolate's wall clock in it) or null. A number that is not finite (`0/0`, `$sum([1e308, 1e308])`
 * give NaN and Infinity in jsonata): it became null. Either way the state succeeded with an
 * output nobody wrote; Step Functions states take JSON only, so the field fails with
 * States.QueryEvaluationError like any value JSON cannot hold.
 */
function notJson(value: unknown, depth = 0): string | undefined {
  if (typeof value === "function" || value instanceof RegExp) return "a function";
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `the number ${value}`;
  if (value === null || typeof value !== "object" || depth > 1_000) return undefined;
  const v = value as Record<string, unknown>;
  if (v._jsonata_lambda === true || v._jsonata_function === true) return "a function";
  for (const item of Object.values(v)) {
    const found = notJson(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export async function evaluateExpression(
  source: string,
  location: string,
  scope: QueryScope,
): Promise<QueryResult<JsonValue>> {
  const compiled = compileExpression(source);
  if (!compiled.ok)
    return failure(
      location,
      `The JSONata expression '${source}' specified for the field '${location}' is invalid: ${compiled.message}`,
    );
  const { expression } = compiled;
  if (!prepared.has(expression)) {
    expression.assign(ENTRY as unknown as string, countStep);
    prepared.add(expression);
  }
  // A variable wins over a function of the same name, as it already did over jsonata's own
  // ($sum): `Assign: {"range": [1, 2]}` then `{% $range %}` is [1, 2], the value JSONPath's
  // `$range` reads too. Listed first, the functions hid such variables (`$range` was a function).
  // `states` is reserved and always the binding below.
  const bindings: Record<string, unknown> = {
    ...stepFunctions(scope.env),
    ...scope.variables,
    states: scope.states,
    [BUDGET]: { steps: 0 },
  };
  let value: unknown;
  try {
    // No input document: Step Functions reads data through $states and variables only, and `$`
    // or `$$` at the top level are not allowed (transforming-data.html). Given null, jsonata made
    // `{% $ %}` a null output and the state succeeded; given nothing, it returns nothing, and the
    // field fails below as Step Functions fails it.
    value = await expression.evaluate(undefined, bindings);
  } catch (error) {
    return failure(
      location,
      `The JSONata expression '${source}' specified for the field '${location}' threw an error during evaluation. ${describeJsonataError(error)}`,
    );
  }
  const invalid = notJson(value);
  if (invalid) {
    return failure(
      location,
      `The JSONata expression '${source}' specified for the field '${location}' returned ${invalid}, which is not JSON.`,
    );
  }
  const json = toJson(value);
  if (json === undefined) {
    return failure(
      location,
      `The JSONata expression '${source}' specified for the field '${location}' returned nothing (undefined).`,
    );
  }
  return { ok: true, value: json };
}

/** Evaluates every `{% … %}` string inside `template`; everything else is copied as written. */
export async function evaluateTemplate(
  template: JsonValue,
  location: string,
  scope: QueryScope,
): Promise<QueryResult<JsonValue>> {
  if (typeof template === "string") {
    const source = expressionOf(template);
    return source === undefined ? { ok: true, value: template } : evaluateExpression(source, location, scope);
  }
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (const item of template) {
      const value = await evaluateTemplate(item, location, scope);
      if (!value.ok) return value;
      out.push(value.value);
    }
    return { ok: true, value: out };
  }
  if (template === null || typeof template !== "object") return { ok: true, value: template };
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(template)) {
    const value = await evaluateTemplate(item, location, scope);
    if (!value.ok) return value;
    Object.defineProperty(out, key, {
      value: value.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { ok: true, value: out };
}
