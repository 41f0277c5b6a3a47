// Fail: stops the (sub-)machine with Error/Cause, or with ErrorPath/CausePath read from the raw
// input (or `$$`, or a variable). A path that does not yield a string is States.Runtime, as in
// Step Functions. JSONata: Error and Cause may be expressions over `$states.input`.

import { StatesError } from "../errors.ts";
import { readPath } from "../io.ts";
import { evaluateTemplate, QUERY_EVALUATION_ERROR } from "../query/evaluate.ts";
import { variablesOf } from "../query/variables.ts";
import { inspect, type Runtime } from "../runtime.ts";
import { isJsonata, type Outcome, queryScope } from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { FailState, JsonValue } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export async function enterFail(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: FailState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  if (isJsonata(rt, state)) {
    const scope = queryScope(rt, frame, context, { input });
    const pick = async (value: string | undefined, field: string): Promise<Outcome<string>> => {
      if (value === undefined) return { ok: true, value: "" };
      const evaluated = await evaluateTemplate(value, field, scope);
      if (!evaluated.ok) return evaluated;
      if (typeof evaluated.value === "string") return { ok: true, value: evaluated.value };
      return {
        ok: false,
        error: QUERY_EVALUATION_ERROR,
        cause: `The field '${field}' must evaluate to a string, but it gave ${JSON.stringify(evaluated.value)}.`,
        location: field,
      };
    };
    const error = await pick(state.Error, "Error");
    if (!error.ok) return fail(rt, frame, name, error);
    const cause = await pick(state.Cause, "Cause");
    if (!cause.ok) return fail(rt, frame, name, cause);
    return fail(rt, frame, name, { ok: false, error: error.value, cause: capped(cause.value) });
  }
  // A Fail state has no InputPath: TestState reports the input unchanged at that stage, as AWS does.
  inspect(rt, "afterInputPath", input);
  const variables = variablesOf(rt, frame);
  const pick = (literal: string | undefined, path: string | undefined): string | { bad: string } => {
    if (path === undefined) return literal ?? "";
    const read = readPath(input, path, context, variables);
    if (read.found && typeof read.value === "string") return read.value;
    return { bad: path };
  };
  const error = pick(state.Error, state.ErrorPath);
  const cause = pick(state.Cause, state.CausePath);
  if (typeof error !== "string" || typeof cause !== "string") {
    const bad = typeof error !== "string" ? error.bad : typeof cause !== "string" ? cause.bad : "";
    return fail(rt, frame, name, {
      ok: false,
      error: StatesError.Runtime,
      cause: `The Fail state '${name}' path '${bad}' did not resolve to a string.`,
    });
  }
  return fail(rt, frame, name, { ok: false, error, cause: capped(cause) });
}

/**
 * Step Functions caps a cause at 32,768 characters (ExecutionFailedEventDetails, and what every
 * API that takes one accepts), as task failures here already are (executions/task-outcome.ts).
 * An expression or a CausePath can make any length: a 5 MB cause went into the history event,
 * the snapshot and DescribeExecution as it was.
 */
const MAX_CAUSE = 32_768;
const capped = (cause: string): string => (cause.length > MAX_CAUSE ? cause.slice(0, MAX_CAUSE) : cause);
