import { NOT_TRUNCATED, STATE_EVENT_NAMES } from "../events.ts";
import type { ContextObject } from "../paths/context.ts";
import { evaluateTemplate, QUERY_EVALUATION_ERROR, type StatesBinding } from "../query/evaluate.ts";
import { contextFor, emit, type Runtime } from "../runtime.ts";
import { type Outcome, queryScope } from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, State } from "../types.ts";

/** Emits `<Type>StateEntered` with the state's raw input. */
export function emitEntered(rt: Runtime, frame: Frame, name: string, state: State, input: JsonValue): void {
  emit(rt, frame, STATE_EVENT_NAMES[state.Type].entered, {
    stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: NOT_TRUNCATED },
  });
}

/** `$$` for a state entered now, on its first attempt (states without Retry). */
export const freshContext = (rt: Runtime, name: string): ContextObject => contextFor(rt, name, rt.env.now, 0);

type States = Omit<StatesBinding, "context">;

/** JSONata `Arguments` (Task, Parallel): the template evaluated, or the state input when absent. */
export async function jsonataArguments(
  rt: Runtime,
  frame: Frame,
  template: JsonValue | undefined,
  states: States,
  context: ContextObject,
): Promise<Outcome<JsonValue>> {
  if (template === undefined) return { ok: true, value: states.input };
  return evaluateTemplate(template, "Arguments", queryScope(rt, frame, context, states));
}

/**
 * A JSONata number field (TimeoutSeconds, HeartbeatSeconds, MaxConcurrency, Tolerated…): a literal,
 * or an expression that must give a number `accept` takes. Absent stays undefined.
 */
export async function jsonataNumber(
  rt: Runtime,
  frame: Frame,
  value: number | string | undefined,
  field: string,
  states: States,
  context: ContextObject,
  accept: (n: number) => boolean,
  expected: string,
): Promise<Outcome<number | undefined>> {
  if (value === undefined) return { ok: true, value: undefined };
  const evaluated =
    typeof value === "number"
      ? { ok: true as const, value }
      : await evaluateTemplate(value, field, queryScope(rt, frame, context, states));
  if (!evaluated.ok) return evaluated;
  const n = evaluated.value;
  if (typeof n === "number" && accept(n)) return { ok: true, value: n };
  return {
    ok: false,
    error: QUERY_EVALUATION_ERROR,
    cause: `The value of the field '${field}' must be ${expected}, but it evaluated to ${JSON.stringify(n)}.`,
    location: field,
  };
}

/** TimeoutSeconds / HeartbeatSeconds in JSONata: a positive integer. */
export const jsonataSeconds = (
  rt: Runtime,
  frame: Frame,
  value: number | string | undefined,
  field: string,
  states: States,
  context: ContextObject,
): Promise<Outcome<number | undefined>> =>
  jsonataNumber(
    rt,
    frame,
    value,
    field,
    states,
    context,
    (n) => Number.isInteger(n) && n > 0 && n <= 99_999_999,
    "a positive integer",
  );
