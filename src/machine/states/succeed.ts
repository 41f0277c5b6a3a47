// Succeed: InputPath → OutputPath, then the (sub-)machine ends with that output.

import { exitState } from "../flow.ts";
import { applyInputPath, applyOutputPath } from "../io.ts";
import type { Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, SucceedState } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export function enterSucceed(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: SucceedState,
  input: JsonValue,
): void {
  emitEntered(rt, frame, name, state, input);
  const effective = applyInputPath(input, state.InputPath, freshContext(rt, name));
  if (!effective.ok) {
    fail(rt, frame, name, effective);
    return;
  }
  const output = applyOutputPath(effective.value, state.OutputPath);
  if (!output.ok) {
    fail(rt, frame, name, output);
    return;
  }
  exitState(rt, frame, name, state, output.value);
}
