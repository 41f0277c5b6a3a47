// Choice: InputPath, then the first rule that matches picks Next (else Default, else
// States.NoChoiceMatched); the output is the effective input through OutputPath.

import { evaluateRule } from "../choice/evaluate.ts";
import { StatesError, succeed } from "../errors.ts";
import { NOT_TRUNCATED } from "../events.ts";
import { applyInputPath, applyOutputPath, readPath } from "../io.ts";
import { emit, type Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { ChoiceState, JsonValue } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export function enterChoice(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ChoiceState,
  input: JsonValue,
): void {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) {
    fail(rt, frame, name, effective);
    return;
  }
  const read = (path: string) => succeed(readPath(effective.value, path, context));
  let next: string | undefined;
  for (const rule of state.Choices) {
    const matched = evaluateRule(rule, read);
    if (!matched.ok) {
      fail(rt, frame, name, matched);
      return;
    }
    if (matched.value) {
      next = rule.Next;
      break;
    }
  }
  next ??= state.Default;
  if (next === undefined) {
    fail(rt, frame, name, {
      error: StatesError.NoChoiceMatched,
      cause: `No Choice rule matched in state '${name}' and it has no Default.`,
    });
    return;
  }
  const output = applyOutputPath(effective.value, state.OutputPath);
  if (!output.ok) {
    fail(rt, frame, name, output);
    return;
  }
  emit(rt, frame, "ChoiceStateExited", {
    stateExitedEventDetails: { name, output: JSON.stringify(output.value), outputDetails: NOT_TRUNCATED },
  });
  rt.snap.outcomes[name] = "succeeded";
  frame.position = { kind: "ready", state: next, input: output.value };
}
