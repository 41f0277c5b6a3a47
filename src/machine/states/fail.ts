// Fail: stops the (sub-)machine with Error/Cause, or with ErrorPath/CausePath read from the raw
// input (or `$$`). A path that does not yield a string is States.Runtime, as in Step Functions.

import { StatesError } from "../errors.ts";
import { readPath } from "../io.ts";
import type { Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { FailState, JsonValue } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export function enterFail(rt: Runtime, frame: Frame, name: string, state: FailState, input: JsonValue): void {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  const pick = (literal: string | undefined, path: string | undefined): string | { bad: string } => {
    if (path === undefined) return literal ?? "";
    const read = readPath(input, path, context);
    if (read.found && typeof read.value === "string") return read.value;
    return { bad: path };
  };
  const error = pick(state.Error, state.ErrorPath);
  const cause = pick(state.Cause, state.CausePath);
  if (typeof error !== "string" || typeof cause !== "string") {
    const bad = typeof error !== "string" ? error.bad : typeof cause !== "string" ? cause.bad : "";
    fail(rt, frame, name, {
      error: StatesError.Runtime,
      cause: `The Fail state '${name}' path '${bad}' did not resolve to a string.`,
    });
    return;
  }
  fail(rt, frame, name, { error, cause });
}
