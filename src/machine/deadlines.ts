// Deadlines kept in the snapshot (wait ends, retry intervals, task and heartbeat timeouts) and
// what happens when `now` reaches one. The shell's alarm only wakes the interpreter; the decision
// is made here against `now`, so an early, late or repeated alarm is harmless.

import { type Runtime, stateOf } from "./runtime.ts";
import { attemptsOf, type Frame } from "./snapshot.ts";
import { startMap } from "./states/map.ts";
import { startParallel } from "./states/parallel.ts";
import { onTaskTimedOut, scheduleTask } from "./states/task.ts";
import { endWait } from "./states/wait.ts";

/** The frame whose earliest deadline is due (≤ now), earliest first; ties in frame order. */
export function dueFrame(rt: Runtime): Frame | undefined {
  let best: { frame: Frame; at: number } | undefined;
  for (const frame of Object.values(rt.snap.frames)) {
    const at = deadlineOf(frame);
    if (at !== null && at <= rt.env.now && (!best || at < best.at)) best = { frame, at };
  }
  return best?.frame;
}

function deadlineOf(frame: Frame): number | null {
  const p = frame.position;
  if (p.kind === "wait" || p.kind === "retry") return p.until;
  if (p.kind === "task") return Math.min(p.timeoutAt, p.heartbeatAt ?? Number.POSITIVE_INFINITY);
  return null;
}

export async function fireDeadline(rt: Runtime, frame: Frame): Promise<void> {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (!state) return;
  if (p.kind === "wait") return endWait(rt, frame);
  if (p.kind === "task" && state.Type === "Task")
    return onTaskTimedOut(rt, frame, state, p.timeoutAt > rt.env.now);
  if (p.kind !== "retry") return;
  const attempts = attemptsOf(p);
  if (state.Type === "Task") return scheduleTask(rt, frame, p.state, state, attempts);
  if (state.Type === "Parallel") return startParallel(rt, frame, p.state, state, attempts);
  if (state.Type === "Map") return startMap(rt, frame, p.state, state, attempts);
}
