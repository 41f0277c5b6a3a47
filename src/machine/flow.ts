// How control leaves a state: on to Next, to the end of its (sub-)machine, into a retry wait, to
// a catcher's Next, or up as the failure of the whole frame. Parent frames (Parallel/Map) learn
// about their children's ends here.

import { errorOutput, findCatcher } from "./catch.ts";
import { withinDataLimit } from "./data-limit.ts";
import { NOT_TRUNCATED, STATE_EVENT_NAMES } from "./events.ts";
import { forgetHalted, keepHalted } from "./halted.ts";
import { applyResultPath } from "./io.ts";
import { assignedVariablesDetails, assignVariables } from "./query/variables.ts";
import { countRetry, decideRetry } from "./retry.ts";
import { contextFor, emit, type Runtime } from "./runtime.ts";
import { schedulable } from "./schedulable.ts";
import {
  assignJsonPath,
  type Failure,
  isJsonata,
  type Outcome,
  type Settled,
  settledOf,
  settleJsonata,
} from "./settle.ts";
import type { Attempts, Frame } from "./snapshot.ts";
import type { JsonObject, JsonValue, State } from "./types.ts";

function emitExited(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: State,
  output: JsonValue,
  assigned?: JsonObject,
): void {
  const type = STATE_EVENT_NAMES[state.Type].exited;
  if (!type) return;
  emit(rt, frame, type, {
    stateExitedEventDetails: {
      name,
      output: JSON.stringify(output),
      outputDetails: NOT_TRUNCATED,
      ...assignedVariablesDetails(assigned),
    },
  });
}

/** A state produced `output` (and maybe set variables): record it, then go to Next or end the frame. */
export async function exitState(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: State,
  output: JsonValue,
  attempts: Attempts | null = null,
  assigned?: JsonObject,
): Promise<void> {
  const checked = withinDataLimit(output, `The state '${name}' output`);
  if (!checked.ok) {
    await failState(rt, frame, name, state, attempts, checked);
    return;
  }
  emitExited(rt, frame, name, state, output, assigned);
  assignVariables(frame, assigned);
  rt.snap.outcomes[name] = "succeeded";
  // Iterations a Map tolerated failing are not part of what a redrive would run again.
  if (state.Type === "Map") forgetHalted(rt.snap, frame.id);
  await continueAfter(rt, frame, state, output);
}

async function continueAfter(rt: Runtime, frame: Frame, state: State, output: JsonValue): Promise<void> {
  const next =
    state.Type === "Choice" || state.Type === "Succeed" || state.Type === "Fail" ? undefined : state.Next;
  if (next === undefined) {
    await endFrame(rt, frame, output);
  } else {
    frame.position = { kind: "ready", state: next, input: output };
  }
}

/** A JSONata expression failed: Step Functions records where before the failure takes its course. */
export function reportEvaluation(rt: Runtime, frame: Frame, name: string, failure: Failure): void {
  if (!("location" in failure)) return;
  emit(rt, frame, "EvaluationFailed", {
    evaluationFailedEventDetails: {
      state: name,
      error: failure.error,
      cause: failure.cause,
      location: failure.location,
    },
  });
}

/**
 * A state failed. Task, Parallel and Map (the states with `attempts`) try Retry, then Catch;
 * anything left fails the frame (and with the top frame, the execution).
 */
export async function failState(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: State,
  attempts: Attempts | null,
  failure: Failure,
): Promise<void> {
  reportEvaluation(rt, frame, name, failure);
  const { error, cause } = failure;
  if (attempts && (state.Type === "Task" || state.Type === "Parallel" || state.Type === "Map")) {
    const decision = decideRetry(state.Retry, attempts.retries, error, rt.env.random);
    if (decision.retry) {
      if (rt.inspection) {
        rt.inspection.retried = { error, cause, index: decision.retrierIndex, delayMs: decision.delayMs };
      }
      forgetHalted(rt.snap, frame.id);
      const until = schedulable(rt.env.now + decision.delayMs, `The retry of state '${name}'`);
      if (!until.ok) {
        rt.snap.outcomes[name] = "failed";
        await failFrame(rt, frame, until.error, until.cause);
        return;
      }
      frame.position = {
        kind: "retry",
        state: name,
        until: until.value,
        retries: countRetry(attempts.retries, decision.retrierIndex),
        attempt: attempts.attempt + 1,
        stateInput: attempts.stateInput,
        enteredAt: attempts.enteredAt,
      };
      return;
    }
    const catcher = findCatcher(state.Catch, error);
    if (catcher) {
      if (rt.inspection) rt.inspection.caught = { error, cause, index: state.Catch?.indexOf(catcher) ?? 0 };
      forgetHalted(rt.snap, frame.id);
      const caught = errorOutput(error, cause);
      const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
      let settled: Outcome<Settled>;
      if (isJsonata(rt, state)) {
        settled = await settleJsonata(
          rt,
          frame,
          catcher,
          caught,
          { input: attempts.stateInput, errorOutput: caught },
          context,
        );
      } else {
        const assigned = assignJsonPath(rt, frame, catcher.Assign, caught, context);
        settled = settledOf(assigned, applyResultPath(attempts.stateInput, caught, catcher.ResultPath));
      }
      // The catcher's output is the state's output: over the limit, the state fails here, uncaught.
      if (settled.ok) {
        const fits = withinDataLimit(settled.value.output, `The state '${name}' output`);
        if (!fits.ok) settled = fits;
      }
      if (!settled.ok) {
        reportEvaluation(rt, frame, name, settled);
        rt.snap.outcomes[name] = "failed";
        await failFrame(rt, frame, settled.error, settled.cause);
        return;
      }
      emitExited(rt, frame, name, state, settled.value.output, settled.value.assigned);
      assignVariables(frame, settled.value.assigned);
      rt.snap.outcomes[name] = "caught";
      frame.position = { kind: "ready", state: catcher.Next, input: settled.value.output };
      return;
    }
  }
  rt.snap.outcomes[name] = "failed";
  await failFrame(rt, frame, error, cause);
}

/** The frame's machine reached a terminal state with `output`. */
export async function endFrame(rt: Runtime, frame: Frame, output: JsonValue): Promise<void> {
  if (frame.parent === null) {
    rt.snap.status = "SUCCEEDED";
    rt.snap.output = output;
    emit(rt, frame, "ExecutionSucceeded", {
      executionSucceededEventDetails: { output: JSON.stringify(output), outputDetails: NOT_TRUNCATED },
    });
    finish(rt);
    return;
  }
  const { frameId, index } = frame.parent;
  delete rt.snap.frames[frame.id];
  const parent = rt.snap.frames[frameId];
  if (parent) await rt.children.succeeded(rt, parent, index, output, frame.lastEventId);
}

/** The frame's machine failed with an error no state caught. */
export async function failFrame(rt: Runtime, frame: Frame, error: string, cause: string): Promise<void> {
  if (frame.parent === null) {
    rt.snap.status = "FAILED";
    setError(rt, error, cause);
    emit(rt, frame, "ExecutionFailed", { executionFailedEventDetails: errorDetails(error, cause) });
    finish(rt);
    return;
  }
  const { frameId, index } = frame.parent;
  keepHalted(rt.snap, frame);
  delete rt.snap.frames[frame.id];
  const parent = rt.snap.frames[frameId];
  if (parent) await rt.children.failed(rt, parent, index, error, cause, frame.lastEventId);
}

/** Step Functions omits an empty error or cause (a Fail state may set neither). */
export const errorDetails = (error: string, cause: string): { error?: string; cause?: string } => ({
  ...(error ? { error } : {}),
  ...(cause ? { cause } : {}),
});

export function setError(rt: Runtime, error: string, cause: string): void {
  if (error) rt.snap.error = error;
  if (cause) rt.snap.cause = cause;
}

/**
 * The execution ended: no frame stays active, so no timer or task is pending any more. After an
 * unsuccessful end the frames are kept (halted), for a redrive to go on from.
 */
export function finish(rt: Runtime): void {
  rt.snap.stoppedAt = rt.env.now;
  if (rt.snap.status === "SUCCEEDED") delete rt.snap.halted;
  else for (const frame of Object.values(rt.snap.frames)) keepHalted(rt.snap, frame);
  rt.snap.frames = {};
}
