// What crosses the boundary between the pure interpreter and its shell (ExecutionObject):
// events in (`step`), effects out. Timers are not effects: the shell keeps ONE alarm at
// `nextWakeAt(snapshot)` and calls `step` with `timer_fired`; the interpreter compares `now` with
// the deadlines it keeps in the snapshot, so an early, late or repeated alarm is harmless.

import type { JsonValue } from "./types.ts";

/**
 * Ask the shell to run a Task resource. The shell answers with `task_succeeded`/`task_failed`
 * carrying the same `taskId`; an answer for a task that is no longer waiting is ignored, so
 * replays and late answers are harmless.
 */
export interface InvokeTaskEffect {
  type: "invoke_task";
  /** Unique within the execution; stable across replays of the same snapshot. */
  taskId: string;
  /** The resource as written in the definition, `.waitForTaskToken` suffix included. */
  resource: string;
  /** The effective parameters (after InputPath and Parameters). */
  parameters: JsonValue;
  /**
   * `<execution name>/<state path>/<attempt>`: the same logical call always carries the same key,
   * so a call repeated after a crash dedupes at the receiver. The state path is the plain state
   * name at top level, and `Parent[i]/…/State` inside Parallel branches / Map iterations; a
   * second visit to the same state (a loop) appends `#<visit>` to the state name.
   */
  idempotencyKey: string;
  /** 0 for the first try, n for the n-th retry. */
  attempt: number;
  stateName: string;
  /**
   * Present only for `.waitForTaskToken` resources: the token (made by `env.makeTaskToken`) that
   * the callback must present. The shell must NOT report the call's own success as
   * `task_succeeded`: the task ends on the callback (or fails if the call itself fails).
   */
  taskToken?: string;
  /** Absolute deadlines (epoch ms) the interpreter enforces; informative for the shell. */
  timeoutAt: number;
  heartbeatAt?: number;
}

export type Effect = InvokeTaskEffect;

/** Events the shell feeds into `step`. */
export type ExecutionInput =
  /** The alarm fired (or the shell just wants due timers processed). */
  | { type: "timer_fired" }
  /** Nothing happened; process whatever is due. Same as timer_fired, named for clarity. */
  | { type: "continue" }
  | { type: "task_succeeded"; taskId: string; output: JsonValue }
  | { type: "task_failed"; taskId: string; error: string; cause?: string }
  | { type: "task_heartbeat"; taskId: string }
  /** StopExecution → ABORTED with ExecutionAborted. */
  | { type: "stop"; error?: string; cause?: string };

export interface StepEnv {
  /** Epoch milliseconds: the only clock the interpreter sees. */
  now: number;
  /** In [0, 1): used for JitterStrategy FULL only. */
  random: () => number;
  /**
   * Makes the callback token for a `.waitForTaskToken` task. The shell signs it (the token must be
   * unforgeable and name the execution and task). Defaults to `<execution id>#<taskId>` (unsigned)
   * for tests and tools that never accept callbacks from outside.
   */
  makeTaskToken?: (taskId: string) => string;
}
