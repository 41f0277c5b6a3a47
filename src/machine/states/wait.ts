// Wait: the deadline goes into the snapshot (never a timer here); the run loop lets the state go
// once `now` reaches it. Seconds/SecondsPath count from entry; Timestamp/TimestampPath are
// absolute, and one in the past ends the wait at once. JSONata: Seconds and Timestamp may be
// expressions; Assign and Output (default: the input) are evaluated on entry, as Step Functions
// does, and the output flows on when the wait ends.

import { parseTimestamp } from "../choice/timestamps.ts";
import { withinDataLimit } from "../data-limit.ts";
import { StatesError } from "../errors.ts";
import { exitState } from "../flow.ts";
import { applyInputPath, applyOutputPath, readPath } from "../io.ts";
import { evaluateTemplate, QUERY_EVALUATION_ERROR } from "../query/evaluate.ts";
import { variablesOf } from "../query/variables.ts";
import { inspect, type Runtime, stateOf } from "../runtime.ts";
import { schedulable } from "../schedulable.ts";
import {
  assignJsonPath,
  isJsonata,
  type Outcome,
  queryScope,
  type Settled,
  settledOf,
  settleJsonata,
} from "../settle.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, WaitState } from "../types.ts";
import { emitEntered, freshContext, jsonataNumber } from "./common.ts";
import { fail } from "./pass.ts";

type Read = (path: string) => { found: true; value: JsonValue } | { found: false };

export async function enterWait(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: WaitState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  const context = freshContext(rt, name);
  let until: Outcome<number>;
  let settled: Outcome<Settled>;
  if (isJsonata(rt, state)) {
    until = await jsonataDeadline(rt, frame, state, input, context);
    settled = until.ok ? await settleJsonata(rt, frame, state, input, { input }, context) : until;
  } else {
    const effective = applyInputPath(input, state.InputPath, context);
    if (!effective.ok) return fail(rt, frame, name, effective);
    inspect(rt, "afterInputPath", effective.value);
    const variables = variablesOf(rt, frame);
    const at = deadline(rt.env.now, state, (path) => readPath(effective.value, path, context, variables));
    until =
      typeof at === "number"
        ? { ok: true, value: at }
        : { ok: false, error: StatesError.Runtime, cause: at.cause };
    const assigned = assignJsonPath(rt, frame, state.Assign, effective.value, context);
    settled = settledOf(assigned, applyOutputPath(effective.value, state.OutputPath, context));
  }
  if (!until.ok) return fail(rt, frame, name, until);
  const scheduled = schedulable(until.value, `The Wait state '${name}'`);
  if (!scheduled.ok) return fail(rt, frame, name, scheduled);
  if (!settled.ok) return fail(rt, frame, name, settled);
  // The output is computed now but leaves with the state when the wait ends; it sits in the
  // snapshot meanwhile, so it is held to the data limits now. Unchecked, a JSONata Output nested
  // 40,000 levels deep overflowed the shell's stack on every alarm: the execution stayed RUNNING.
  const fits = withinDataLimit(settled.value.output, `The state '${name}' output`);
  if (!fits.ok) return fail(rt, frame, name, fits);
  frame.position = {
    kind: "wait",
    state: name,
    output: settled.value.output,
    until: until.value,
    input,
    ...(settled.value.assigned ? { assigned: settled.value.assigned } : {}),
  };
}

async function jsonataDeadline(
  rt: Runtime,
  frame: Frame,
  state: WaitState,
  input: JsonValue,
  context: ReturnType<typeof freshContext>,
): Promise<Outcome<number>> {
  if (state.Timestamp !== undefined) {
    const value = await evaluateTemplate(
      state.Timestamp,
      "Timestamp",
      queryScope(rt, frame, context, { input }),
    );
    if (!value.ok) return value;
    const at = parseTimestamp(value.value);
    if (at !== null) return { ok: true, value: at };
    return {
      ok: false,
      error: QUERY_EVALUATION_ERROR,
      cause: `The Timestamp field must be an ISO-8601 timestamp, but it evaluated to ${JSON.stringify(value.value)}.`,
      location: "Timestamp",
    };
  }
  const seconds = await jsonataNumber(
    rt,
    frame,
    state.Seconds,
    "Seconds",
    { input },
    context,
    (n) => Number.isInteger(n) && n >= 0 && n <= 99_999_999,
    "a non-negative integer",
  );
  if (!seconds.ok) return seconds;
  return { ok: true, value: rt.env.now + (seconds.value ?? 0) * 1000 };
}

function deadline(now: number, state: WaitState, read: Read): number | { cause: string } {
  if (typeof state.Seconds === "number") return now + state.Seconds * 1000;
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

/** The wait is over: the precomputed output (and variables) flow on. */
export async function endWait(rt: Runtime, frame: Frame): Promise<void> {
  const p = frame.position;
  if (p.kind !== "wait") return;
  const state = stateOf(rt, frame, p.state);
  if (state) await exitState(rt, frame, p.state, state, p.output, null, p.assigned);
}
