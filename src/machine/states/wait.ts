// Wait: the deadline goes into the snapshot (never a timer here); the run loop lets the state go
// once `now` reaches it. Seconds/SecondsPath count from entry; Timestamp/TimestampPath are
// absolute, and one in the past ends the wait at once.

import { parseTimestamp } from "../choice/timestamps.ts";
import { StatesError } from "../errors.ts";
import { exitState } from "../flow.ts";
import { applyInputPath, applyOutputPath, readPath } from "../io.ts";
import { type Runtime, stateOf } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, WaitState } from "../types.ts";
import { emitEntered, freshContext } from "./common.ts";
import { fail } from "./pass.ts";

export function enterWait(rt: Runtime, frame: Frame, name: string, state: WaitState, input: JsonValue): void {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  const effective = applyInputPath(input, state.InputPath, context);
  if (!effective.ok) {
    fail(rt, frame, name, effective);
    return;
  }
  const until = deadline(rt.env.now, state, (path) => readPath(effective.value, path, context));
  if (typeof until !== "number") {
    fail(rt, frame, name, { error: StatesError.Runtime, cause: until.cause });
    return;
  }
  const output = applyOutputPath(effective.value, state.OutputPath);
  if (!output.ok) {
    fail(rt, frame, name, output);
    return;
  }
  frame.position = { kind: "wait", state: name, output: output.value, until };
}

function deadline(
  now: number,
  state: WaitState,
  read: (path: string) => { found: true; value: JsonValue } | { found: false },
): number | { cause: string } {
  if (state.Seconds !== undefined) return now + state.Seconds * 1000;
  if (state.Timestamp !== undefined) {
    return parseTimestamp(state.Timestamp) ?? { cause: `Invalid Timestamp '${state.Timestamp}'` };
  }
  if (state.SecondsPath !== undefined) {
    const r = read(state.SecondsPath);
    if (r.found && typeof r.value === "number" && Number.isInteger(r.value) && r.value >= 0) {
      return now + r.value * 1000;
    }
    return {
      cause: `The SecondsPath parameter does not reference a valid non-negative integer: ${state.SecondsPath}`,
    };
  }
  if (state.TimestampPath !== undefined) {
    const r = read(state.TimestampPath);
    const at = r.found ? parseTimestamp(r.value) : null;
    return (
      at ?? {
        cause: `The TimestampPath parameter does not reference a valid ISO-8601 timestamp: ${state.TimestampPath}`,
      }
    );
  }
  return { cause: "A Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath" };
}

/** The wait is over: the precomputed output flows on. */
export function endWait(rt: Runtime, frame: Frame): void {
  const p = frame.position;
  if (p.kind !== "wait") return;
  const state = stateOf(rt, frame, p.state);
  if (state) exitState(rt, frame, p.state, state, p.output);
}
