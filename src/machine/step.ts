// The interpreter's two entry points, in the shape of xstate's `transition`: (definition,
// snapshot, event, env) → next snapshot + effects to perform + new history events. Nothing here
// performs I/O or reads a clock: the shell persists the result and then performs the effects.
// Both are async only because JSONata's evaluator is (jsonata 2 awaits internally): they await
// nothing but that evaluation, which reads only its bindings, so the result is still a pure
// function of the arguments, and awaiting it in a Durable Object does not open the input gate.
// Each call runs every transition it can (Pass → Choice → Pass …) until the execution ends or
// waits for a task answer or a deadline, so the shell persists once per batch.

import { assertNever } from "../core/result.ts";
import { withinDataLimit } from "./data-limit.ts";
import { dueFrame, fireDeadline } from "./deadlines.ts";
import type { Effect, ExecutionInput, StepEnv } from "./effects.ts";
import { StatesError } from "./errors.ts";
import { type HistoryEvent, NOT_TRUNCATED } from "./events.ts";
import { errorDetails, failFrame, finish, setError } from "./flow.ts";
import { type Redrivability, redrivability, resumeFrames } from "./redrive.ts";
import { EXECUTION_ROLE_ARN, emit, type Runtime, stateOf } from "./runtime.ts";
import { type ExecutionSnapshot, type Frame, SNAPSHOT_VERSION } from "./snapshot.ts";
import { childEnds } from "./states/child-ends.ts";
import { enterChoice } from "./states/choice.ts";
import { enterFail } from "./states/fail.ts";
import { enterMap } from "./states/map.ts";
import { enterParallel } from "./states/parallel.ts";
import { enterPass } from "./states/pass.ts";
import { resumeParents } from "./states/resume.ts";
import { enterSucceed } from "./states/succeed.ts";
import { enterTask, onTaskFailed, onTaskHeartbeat, onTaskSucceeded } from "./states/task.ts";
import { enterWait } from "./states/wait.ts";
import type { JsonValue, StateMachineDefinition } from "./types.ts";

/** Step Functions fails an execution whose history passes 25,000 events; it also stops loops. */
export const MAX_HISTORY_EVENTS = 25_000;

export interface StartOptions {
  input: JsonValue;
  executionName: string;
  machineName: string;
  machineVersion: number;
  /** Epoch ms; also the `now` of this first batch. */
  startedAt: number;
  /**
   * A limit on the whole execution besides the definition's TimeoutSeconds (the shorter wins):
   * StartSyncExecution's five minutes, which end the execution TIMED_OUT as an Express one would.
   */
  maxSeconds?: number;
}

export interface StepResult {
  snapshot: ExecutionSnapshot;
  effects: Effect[];
  /** Only the events this call added; ids continue from the previous snapshot. */
  events: HistoryEvent[];
}

function executionDeadline(from: number, ...limits: (number | undefined)[]): number | null {
  const seconds = limits.filter((s): s is number => s !== undefined);
  return seconds.length === 0 ? null : from + Math.min(...seconds) * 1000;
}

/** `$$.Execution.Id`: an ARN-like id in Step Functions' layout under an `edgestate` partition. */
export const executionId = (machineName: string, executionName: string): string =>
  `arn:edgestate:states:::execution:${machineName}:${executionName}`;

export const stateMachineId = (machineName: string, version: number): string =>
  `arn:edgestate:states:::stateMachine:${machineName}:${version}`;

export async function startExecution(
  definition: StateMachineDefinition,
  options: StartOptions,
  env: Partial<Omit<StepEnv, "now">> = {},
): Promise<StepResult> {
  const id = executionId(options.machineName, options.executionName);
  const rootFrameId = "f0";
  const snapshot: ExecutionSnapshot = {
    version: SNAPSHOT_VERSION,
    status: "RUNNING",
    execution: {
      id,
      name: options.executionName,
      machineName: options.machineName,
      machineVersion: options.machineVersion,
      machineId: stateMachineId(options.machineName, options.machineVersion),
      input: options.input,
      startedAt: options.startedAt,
    },
    timeoutAt: executionDeadline(options.startedAt, definition.TimeoutSeconds, options.maxSeconds),
    eventCounter: 0,
    frameCounter: 0,
    taskCounter: 0,
    rootFrameId,
    frames: {
      [rootFrameId]: {
        id: rootFrameId,
        parent: null,
        scope: [],
        keyPrefix: "",
        lastEventId: 0,
        visits: {},
        position: { kind: "ready", state: definition.StartAt, input: options.input },
      },
    },
    outcomes: {},
  };
  const rt = runtime(definition, snapshot, { ...env, now: options.startedAt });
  emit(rt, null, "ExecutionStarted", {
    executionStartedEventDetails: {
      input: JSON.stringify(options.input),
      inputDetails: NOT_TRUNCATED,
      roleArn: EXECUTION_ROLE_ARN,
    },
  });
  const root = rt.snap.frames[rootFrameId];
  // As in Step Functions, the first state's events chain from 0, not from ExecutionStarted.
  if (root) root.lastEventId = 0;
  const fits = withinDataLimit(options.input, "The execution input");
  if (!fits.ok && root) await failFrame(rt, root, fits.error, fits.cause);
  await drain(rt);
  return result(rt);
}

export async function step(
  definition: StateMachineDefinition,
  snapshot: ExecutionSnapshot,
  event: ExecutionInput,
  env: StepEnv,
): Promise<StepResult> {
  const rt = runtime(definition, structuredClone(snapshot), env);
  if (rt.snap.status !== "RUNNING") return result(rt);
  const timeoutAt = rt.snap.timeoutAt;
  if (timeoutAt !== null && env.now >= timeoutAt) {
    // What fell due before the execution timeout came first, at the instant before it: a late
    // alarm must not turn a Wait that ended in time into TIMED_OUT, nor skip a task's own timeout.
    rt.env.now = timeoutAt - 1;
    await drain(rt);
    rt.env.now = env.now;
    if (rt.snap.status === "RUNNING") {
      endExecution(rt, "TIMED_OUT", StatesError.Timeout, "The execution ran longer than its TimeoutSeconds.");
    }
    return result(rt);
  }
  // Deadlines that passed before this event arrived are settled first: a task answer that comes
  // after its timeout finds the task already timed out, and is ignored.
  await drain(rt);
  await apply(rt, event);
  await drain(rt);
  return result(rt);
}

/**
 * RedriveExecution: the execution goes on from where it failed, timed out or was stopped (see
 * redrive.ts for what runs again). The execution timeout starts over, as in Step Functions.
 */
export async function redrive(
  definition: StateMachineDefinition,
  snapshot: ExecutionSnapshot,
  env: StepEnv,
): Promise<StepResult | Exclude<Redrivability, { redrivable: true }>> {
  const verdict = redrivability(snapshot, env.now);
  if (!verdict.redrivable) return verdict;
  const rt = runtime(definition, structuredClone(snapshot), env);
  const snap = rt.snap;
  resumeFrames(snap);
  snap.status = "RUNNING";
  for (const key of ["output", "error", "cause", "stoppedAt"] as const) delete snap[key];
  const redriveCount = (snap.execution.redriveCount ?? 0) + 1;
  snap.execution.redriveCount = redriveCount;
  snap.redrives = [...(snap.redrives ?? []), env.now];
  snap.timeoutAt = executionDeadline(env.now, definition.TimeoutSeconds);
  emit(rt, null, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount } });
  await resumeParents(rt);
  await drain(rt);
  return result(rt);
}

function runtime(
  definition: StateMachineDefinition,
  snap: ExecutionSnapshot,
  env: Partial<StepEnv>,
): Runtime {
  const executionArn = snap.execution.id;
  return {
    definition,
    snap,
    env: {
      now: env.now ?? snap.execution.startedAt,
      random: env.random ?? (() => 0.5),
      makeTaskToken: env.makeTaskToken ?? ((taskId) => `${executionArn}#${taskId}`),
    },
    events: [],
    effects: [],
    children: childEnds,
  };
}

/** Effects for tasks dropped within the same batch (a sibling branch failed) are not performed. */
function result(rt: Runtime): StepResult {
  const pending = new Set<string>();
  for (const frame of Object.values(rt.snap.frames)) {
    if (frame.position.kind === "task") pending.add(frame.position.taskId);
  }
  return { snapshot: rt.snap, events: rt.events, effects: rt.effects.filter((e) => pending.has(e.taskId)) };
}

async function apply(rt: Runtime, event: ExecutionInput): Promise<void> {
  switch (event.type) {
    case "timer_fired":
    case "continue":
      return;
    case "stop":
      endExecution(rt, "ABORTED", event.error ?? "", event.cause ?? "");
      return;
    case "task_succeeded":
    case "task_failed":
    case "task_heartbeat": {
      const frame = Object.values(rt.snap.frames).find(
        (f) => f.position.kind === "task" && f.position.taskId === event.taskId,
      );
      const state = frame && stateOf(rt, frame, frame.position.state);
      if (!frame || state?.Type !== "Task") return;
      if (event.type === "task_succeeded") await onTaskSucceeded(rt, frame, state, event.output);
      else if (event.type === "task_failed")
        await onTaskFailed(rt, frame, state, event.error, event.cause ?? "");
      else onTaskHeartbeat(rt, frame);
      return;
    }
    default:
      assertNever(event, "execution input");
  }
}

/** Runs ready frames and due deadlines until nothing more can happen at `now`. */
async function drain(rt: Runtime): Promise<void> {
  while (rt.snap.status === "RUNNING") {
    if (rt.snap.eventCounter > MAX_HISTORY_EVENTS) {
      const root = rt.snap.frames[rt.snap.rootFrameId];
      const cause = `The execution reached the limit of ${MAX_HISTORY_EVENTS} history events.`;
      if (root) await failFrame(rt, root, StatesError.Runtime, cause);
      return;
    }
    const ready = Object.values(rt.snap.frames).find((f) => f.position.kind === "ready");
    if (ready) {
      await enterState(rt, ready);
      continue;
    }
    const due = dueFrame(rt);
    if (!due) return;
    await fireDeadline(rt, due);
  }
}

/** Enters the state a ready frame points at (the run loop, and TestState for its one state). */
export async function enterState(rt: Runtime, frame: Frame): Promise<void> {
  const p = frame.position;
  if (p.kind !== "ready") return;
  const state = stateOf(rt, frame, p.state);
  if (!state) {
    await failFrame(rt, frame, StatesError.Runtime, `The state '${p.state}' does not exist.`);
    return;
  }
  frame.visits[p.state] = (frame.visits[p.state] ?? 0) + 1;
  switch (state.Type) {
    case "Pass":
      return enterPass(rt, frame, p.state, state, p.input);
    case "Task":
      return enterTask(rt, frame, p.state, state, p.input);
    case "Choice":
      return enterChoice(rt, frame, p.state, state, p.input);
    case "Wait":
      return enterWait(rt, frame, p.state, state, p.input);
    case "Succeed":
      return enterSucceed(rt, frame, p.state, state, p.input);
    case "Fail":
      return enterFail(rt, frame, p.state, state, p.input);
    case "Parallel":
      return enterParallel(rt, frame, p.state, state, p.input);
    case "Map":
      return enterMap(rt, frame, p.state, state, p.input);
    default:
      assertNever(state, "state type");
  }
}

function endExecution(rt: Runtime, status: "ABORTED" | "TIMED_OUT", error: string, cause: string): void {
  rt.snap.status = status;
  setError(rt, error, cause);
  const details = errorDetails(error, cause);
  if (status === "ABORTED") emit(rt, null, "ExecutionAborted", { executionAbortedEventDetails: details });
  else emit(rt, null, "ExecutionTimedOut", { executionTimedOutEventDetails: details });
  finish(rt);
}
