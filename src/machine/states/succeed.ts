// Succeed: InputPath → OutputPath (JSONata: Output, default the input), then the (sub-)machine
// ends with that output.

import { exitState } from "../flow.ts";
import { applyInputPath, applyOutputPath } from "../io.ts";
import { inspect, type Runtime } from "../runtime.ts";
import { isJsonata, settleJsonata } from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, SucceedState } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export async function enterSucceed(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: SucceedState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  if (isJsonata(rt, state)) {
    const settled = await settleJsonata(rt, frame, { Output: state.Output }, input, { input }, context);
    if (!settled.ok) return fail(rt, frame, name, settled);
    return exitState(rt, frame, name, state, settled.value.output);
  }
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) return fail(rt, frame, name, effective);
  inspect(rt, "afterInputPath", effective.value);
  const output = applyOutputPath(effective.value, state.OutputPath, context);
  if (!output.ok) return fail(rt, frame, name, output);
  return exitState(rt, frame, name, state, output.value);
}
