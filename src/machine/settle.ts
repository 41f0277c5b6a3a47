// How a state's result becomes its output and its variable assignments, in both query languages:
// JSONata evaluates `Assign` and `Output` against the same bindings (so Output still sees the
// variables as they were before this state, as Step Functions documents); JSONPath evaluates
// `Assign` as a payload template over the state's result (or input, for states without one).

import type { StatesFailure, StatesResult } from "./errors.ts";
import { applyTemplate } from "./io.ts";
import type { ContextObject } from "./paths/context.ts";
import {
  evaluateTemplate,
  type QueryFailure,
  type QueryScope,
  type StatesBinding,
} from "./query/evaluate.ts";
import { queryLanguageOf } from "./query/language.ts";
import { checkAssignment, variablesOf } from "./query/variables.ts";
import type { Runtime } from "./runtime.ts";
import type { Frame } from "./snapshot.ts";
import type { Assignments, JsonObject, JsonValue } from "./types.ts";

export type Failure = StatesFailure | QueryFailure;
export type Outcome<T> = { ok: true; value: T } | Failure;

export interface Settled {
  output: JsonValue;
  assigned?: JsonObject;
}

export const isJsonata = (rt: Runtime, state: { QueryLanguage?: "JSONPath" | "JSONata" }): boolean =>
  queryLanguageOf(rt.definition, state) === "JSONata";

export function queryScope(
  rt: Runtime,
  frame: Frame,
  context: ContextObject,
  states: Omit<StatesBinding, "context">,
): QueryScope {
  return {
    states: { ...states, context },
    variables: variablesOf(rt, frame),
    env: { now: rt.env.now, random: rt.env.random, context },
  };
}

/** JSONata: Assign and Output of a state, a Choice rule or a catcher; Output defaults to `fallback`. */
export async function settleJsonata(
  rt: Runtime,
  frame: Frame,
  fields: { Assign?: Assignments; Output?: JsonValue },
  fallback: JsonValue,
  states: Omit<StatesBinding, "context">,
  context: ContextObject,
): Promise<Outcome<Settled>> {
  const scope = queryScope(rt, frame, context, states);
  let assigned: JsonObject | undefined;
  if (fields.Assign !== undefined) {
    const evaluated = await evaluateTemplate(fields.Assign, "Assign", scope);
    if (!evaluated.ok) return evaluated;
    const checked = checkAssignment(evaluated.value as JsonObject);
    if (!checked.ok) return checked;
    assigned = checked.value;
  }
  let output = fallback;
  if (fields.Output !== undefined) {
    const evaluated = await evaluateTemplate(fields.Output, "Output", scope);
    if (!evaluated.ok) return evaluated;
    output = evaluated.value;
  }
  return { ok: true, value: { output, ...(assigned ? { assigned } : {}) } };
}

/** JSONPath: Assign as a payload template over `data` (`$`), the context (`$$`) and variables. */
export function assignJsonPath(
  rt: Runtime,
  frame: Frame,
  assign: Assignments | undefined,
  data: JsonValue,
  context: ContextObject,
): StatesResult<JsonObject | undefined> {
  if (assign === undefined) return { ok: true, value: undefined };
  const evaluated = applyTemplate(assign, data, context, rt.env.random, variablesOf(rt, frame));
  if (!evaluated.ok) return evaluated;
  return checkAssignment(evaluated.value as JsonObject);
}

/** JSONPath: a state's output and assignments, or the first of their failures. */
export function settledOf(
  assigned: StatesResult<JsonObject | undefined>,
  output: StatesResult<JsonValue>,
): Outcome<Settled> {
  if (!assigned.ok) return assigned;
  if (!output.ok) return output;
  return {
    ok: true,
    value: { output: output.value, ...(assigned.value ? { assigned: assigned.value } : {}) },
  };
}
