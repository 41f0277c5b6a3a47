// Pass: InputPath → Parameters → (Result replaces the effective input if given) → ResultPath
// (against the raw input) → OutputPath.

import { exitState, failFrame } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate } from "../io.ts";
import type { Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, PassState } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";

export function enterPass(rt: Runtime, frame: Frame, name: string, state: PassState, input: JsonValue): void {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) {
    fail(rt, frame, name, effective);
    return;
  }
  let result: JsonValue;
  if (state.Result !== undefined) {
    result = state.Result;
  } else {
    const parameters = applyTemplate(state.Parameters, effective.value, context, rt.env.random);
    if (!parameters.ok) {
      fail(rt, frame, name, parameters);
      return;
    }
    result = parameters.value;
  }
  const combined = applyResultPath(input, result, state.ResultPath);
  if (!combined.ok) {
    fail(rt, frame, name, combined);
    return;
  }
  const output = applyOutputPath(combined.value, state.OutputPath);
  if (!output.ok) {
    fail(rt, frame, name, output);
    return;
  }
  exitState(rt, frame, name, state, output.value);
}

/** States without Retry/Catch fail their frame directly. */
export function fail(
  rt: Runtime,
  frame: Frame,
  name: string,
  failure: { error: string; cause: string },
): void {
  rt.snap.outcomes[name] = "failed";
  failFrame(rt, frame, failure.error, failure.cause);
}
