// Redrive (Step Functions' RedriveExecution): an execution that failed, timed out or was stopped
// goes on from where it stopped, with the same definition, input and ARN. What succeeded is not
// run again: a Task, a Wait, a Choice or a Fail that did not finish is entered afresh (its retry
// counts and timeout start over); a Parallel runs only the branches that failed or were aborted,
// a Map only the iterations that failed or were aborted (and those not started yet), each from
// the state inside it that did not finish (states/resume.ts then wakes a Parallel or Map that has
// no child to wait for). A failure for States.DataLimitExceeded runs the Parallel or Map whole, as
// AWS does.

import { StatesError } from "./errors.ts";
import type { ExecutionSnapshot, Frame } from "./snapshot.ts";

/** AWS keeps an execution redrivable for 14 days after it stops. */
export const REDRIVE_WINDOW_MS = 14 * 24 * 3_600_000;
/** AWS's maximum execution time: one year from the start, redrives included. */
export const MAX_EXECUTION_MS = 365 * 24 * 3_600_000;
/** The history must have room for ExecutionRedriven and at least one event after it. */
export const REDRIVE_EVENT_LIMIT = 24_999;
export const MAX_REDRIVES = 1_000;

export type Redrivability = { redrivable: true } | { redrivable: false; reason: string };

/** Whether RedriveExecution would take the execution now, and if not, AWS's reason. */
export function redrivability(snap: ExecutionSnapshot, now: number): Redrivability {
  const no = (reason: string): Redrivability => ({ redrivable: false, reason });
  if (snap.status === "RUNNING" || snap.status === "SUCCEEDED") {
    return no(`Execution is ${snap.status} and cannot be redriven`);
  }
  if (!snap.halted?.[snap.rootFrameId])
    return no("Execution was started before the launch of RedriveExecution");
  if (snap.eventCounter >= REDRIVE_EVENT_LIMIT) return no("Execution history event limit exceeded");
  if (now - snap.execution.startedAt > MAX_EXECUTION_MS)
    return no("Execution has exceeded the max execution time");
  if (snap.stoppedAt !== undefined && now - snap.stoppedAt > REDRIVE_WINDOW_MS) {
    return no("Execution redrivable period exceeded");
  }
  if ((snap.execution.redriveCount ?? 0) >= MAX_REDRIVES)
    return no("Execution has been redriven the maximum number of times");
  return { redrivable: true };
}

/** Puts the halted frames back, each at the point it goes on from. Call on a redrivable snapshot. */
export function resumeFrames(snap: ExecutionSnapshot): void {
  const halted = snap.halted ?? {};
  const whole = snap.error === StatesError.DataLimitExceeded;
  const frames: Record<string, Frame> = {};
  const restore = (frame: Frame): void => {
    frames[frame.id] = frame;
    const p = frame.position;
    switch (p.kind) {
      case "ready":
        return;
      case "task":
      case "retry":
        frame.position = { kind: "ready", state: p.state, input: p.stateInput };
        return;
      case "wait":
        // A wait stored before waits kept their input goes on waiting for its deadline.
        if (p.input !== undefined) frame.position = { kind: "ready", state: p.state, input: p.input };
        return;
      case "parallel": {
        const unfinished = p.children.filter((id): id is string => id !== null);
        if (whole || unfinished.some((id) => !halted[id])) {
          frame.position = { kind: "ready", state: p.state, input: p.stateInput };
          return;
        }
        for (const id of unfinished) restore(halted[id]!);
        return;
      }
      case "map": {
        if (whole) {
          frame.position = { kind: "ready", state: p.state, input: p.stateInput };
          return;
        }
        const iterations = Object.values(halted).filter((f) => f.parent?.frameId === frame.id && f.item);
        for (const iteration of iterations) {
          p.results[iteration.item!.index] = null;
          restore(iteration);
        }
        p.active = iterations.map((f) => f.id);
        p.failures = 0;
        p.failed = [];
        return;
      }
    }
  };
  const root = halted[snap.rootFrameId];
  if (root) restore(root);
  snap.frames = frames;
  delete snap.halted;
}
