// Pass. JSONPath: InputPath → Parameters → (Result replaces the effective input if given) →
// Assign → ResultPath (against the raw input) → OutputPath. JSONata: Assign and Output (default:
// the input) over `$states.input`.

import { exitState, failFrame, reportEvaluation } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate } from "../io.ts";
import { variablesOf } from "../query/variables.ts";
import { inspect, type Runtime } from "../runtime.ts";
import { assignJsonPath, type Failure, isJsonata, settleJsonata } from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, PassState } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";

export async function enterPass(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: PassState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  if (isJsonata(rt, state)) {
    const settled = await settleJsonata(rt, frame, state, input, { input }, context);
    if (!settled.ok) return fail(rt, frame, name, settled);
    return exitState(rt, frame, name, state, settled.value.output, null, settled.value.assigned);
  }
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) return fail(rt, frame, name, effective);
  let result: JsonValue;
  if (state.Result !== undefined) {
    result = state.Result;
    inspect(rt, "result", result);
  } else {
    inspect(rt, "afterInputPath", effective.value);
    const variables = variablesOf(rt, frame);
    const parameters = applyTemplate(state.Parameters, effective.value, context, rt.env.random, variables);
    if (!parameters.ok) return fail(rt, frame, name, parameters);
    result = parameters.value;
    inspect(rt, "afterParameters", result);
  }
  // A Pass state has no ResultSelector; TestState reports its result at that stage, as AWS does.
  inspect(rt, "afterResultSelector", result);
  const assigned = assignJsonPath(rt, frame, state.Assign, result, context);
  if (!assigned.ok) return fail(rt, frame, name, assigned);
  const combined = applyResultPath(input, result, state.ResultPath);
  if (!combined.ok) return fail(rt, frame, name, combined);
  inspect(rt, "afterResultPath", combined.value);
  const output = applyOutputPath(combined.value, state.OutputPath, context);
  if (!output.ok) return fail(rt, frame, name, output);
  return exitState(rt, frame, name, state, output.value, null, assigned.value);
}

/** States without Retry/Catch fail their frame directly. */
export async function fail(rt: Runtime, frame: Frame, name: string, failure: Failure): Promise<void> {
  reportEvaluation(rt, frame, name, failure);
  rt.snap.outcomes[name] = "failed";
  await failFrame(rt, frame, failure.error, failure.cause);
}
