// The persisted state of one execution: plain JSON, stored by the shell after every batch.
// Concurrency inside an execution (Parallel branches, Map iterations) is a flat record of
// "frames": each frame runs one (sub-)machine and sits at one position. A frame that starts
// children records their ids; children point back at their parent and their index, so results
// land in branch/item order whatever order they finish in.

import type { InvokeTaskEffect } from "./effects.ts";
import type { JsonValue } from "./types.ts";

export const SNAPSHOT_VERSION = 1;

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export type StateOutcome = "succeeded" | "failed" | "caught" | "in_progress";

export interface ExecutionInfo {
  /** `arn:edgestate:states:::execution:<machine>:<name>` — the `$$.Execution.Id`. */
  id: string;
  name: string;
  machineName: string;
  machineVersion: number;
  /** `arn:edgestate:states:::stateMachine:<machine>:<version>` — the `$$.StateMachine.Id`. */
  machineId: string;
  input: JsonValue;
  /** Epoch ms. */
  startedAt: number;
  /** Times the execution was redriven (`$$.Execution.RedriveCount`); absent until the first. */
  redriveCount?: number;
}

/** One step into a nested machine: the Parallel/Map state and, for Parallel, the branch. */
export interface ScopeStep {
  state: string;
  branch?: number;
}

/** Retry bookkeeping shared by Task, Parallel and Map positions. */
export interface Attempts {
  /** Times each retrier (by index in `Retry`) has been used since the state was entered. */
  retries: number[];
  /** Total retries so far: `$$.State.RetryCount` and the idempotency key's attempt. */
  attempt: number;
  /** The state's raw input: ResultPath and Catch combine results with it. */
  stateInput: JsonValue;
  /** Epoch ms of entry: `$$.State.EnteredTime`. */
  enteredAt: number;
}

/** Just the Attempts of a position that carries them (the snapshot keeps them on the position). */
export const attemptsOf = (p: Attempts): Attempts => ({
  retries: p.retries,
  attempt: p.attempt,
  stateInput: p.stateInput,
  enteredAt: p.enteredAt,
});

export interface TaskPosition extends Attempts {
  kind: "task";
  state: string;
  taskId: string;
  resource: string;
  parameters: JsonValue;
  idempotencyKey: string;
  taskToken?: string;
  timeoutAt: number;
  heartbeatSeconds?: number;
  heartbeatAt?: number;
}

export type Position =
  /** About to enter `state` with `input`; the run loop picks these up. */
  | { kind: "ready"; state: string; input: JsonValue }
  | TaskPosition
  /** A failed Task/Parallel/Map waiting out its retry interval; re-runs at `until`. */
  | ({ kind: "retry"; state: string; until: number } & Attempts)
  /** A Wait state; its output is already computed and flows on at `until`. */
  | {
      kind: "wait";
      state: string;
      output: JsonValue;
      until: number;
      assigned?: Record<string, JsonValue>;
      /** The state's input: a redrive enters the Wait again with it. */
      input?: JsonValue;
    }
  | ({ kind: "parallel"; state: string; children: (string | null)[]; results: JsonValue[] } & Attempts)
  | ({ kind: "map"; state: string } & MapProgress & Attempts);

export interface MapProgress {
  /** The effective input (after InputPath/Parameters-free processing) ItemSelector reads. */
  effectiveInput: JsonValue;
  items: JsonValue[];
  /** Index of the next item to start. */
  next: number;
  /** Frame ids of running iterations. */
  active: string[];
  results: JsonValue[];
  failures: number;
  /** Indexes of the iterations that failed: a redrive runs these again (and those not started). */
  failed?: number[];
  /** 0 = unlimited. */
  maxConcurrency: number;
  toleratedCount: number | null;
  toleratedPercentage: number | null;
}

export interface Frame {
  id: string;
  parent: { frameId: string; index: number } | null;
  scope: ScopeStep[];
  /** Prefix of idempotency keys for states in this frame, e.g. `Par[1]/` (empty at top level). */
  keyPrefix: string;
  /** The last history event of this frame: the next one's previousEventId. */
  lastEventId: number;
  /** Entries per state name, to keep idempotency keys distinct when a machine loops. */
  visits: Record<string, number>;
  /** Set for Map iterations: `$$.Map.Item`. */
  item?: { index: number; value: JsonValue };
  /** Variables assigned in this frame (Assign); inner frames read outer ones too. */
  variables?: Record<string, JsonValue>;
  position: Position;
}

export interface ExecutionSnapshot {
  version: typeof SNAPSHOT_VERSION;
  status: ExecutionStatus;
  execution: ExecutionInfo;
  /** Epoch ms of the execution-level TimeoutSeconds, if any. */
  timeoutAt: number | null;
  output?: JsonValue;
  error?: string;
  cause?: string;
  stoppedAt?: number;
  /** Id of the last history event written; new events continue from here. */
  eventCounter: number;
  frameCounter: number;
  taskCounter: number;
  rootFrameId: string;
  /** Active frames only: a frame is deleted when its machine ends. */
  frames: Record<string, Frame>;
  /** Last settled outcome per plain state name, for diagram colouring. */
  outcomes: Record<string, Exclude<StateOutcome, "in_progress">>;
  /** Frames that failed or were cut short (halted.ts): where a redrive goes on from. */
  halted?: Record<string, Frame>;
  /** Epoch ms of each redrive, oldest first. */
  redrives?: number[];
}

const deadlinesOf = (position: Position): number[] => {
  switch (position.kind) {
    case "task":
      return position.heartbeatAt === undefined
        ? [position.timeoutAt]
        : [position.timeoutAt, position.heartbeatAt];
    case "retry":
    case "wait":
      return [position.until];
    default:
      return [];
  }
};

/** The earliest pending deadline (epoch ms), or null: the shell keeps ONE alarm at this time. */
export function nextWakeAt(snapshot: ExecutionSnapshot): number | null {
  if (snapshot.status !== "RUNNING") return null;
  let earliest = snapshot.timeoutAt;
  for (const frame of Object.values(snapshot.frames)) {
    for (const at of deadlinesOf(frame.position)) {
      if (earliest === null || at < earliest) earliest = at;
    }
  }
  return earliest;
}

/** Names of the states currently active (outer Parallel/Map states included), sorted, unique. */
export function currentStates(snapshot: ExecutionSnapshot): string[] {
  if (snapshot.status !== "RUNNING") return [];
  const names = new Set<string>();
  for (const frame of Object.values(snapshot.frames)) names.add(frame.position.state);
  return [...names].sort();
}

/** Per plain state name: how it last ended, or in_progress while active. */
export function stateOutcomes(snapshot: ExecutionSnapshot): Record<string, StateOutcome> {
  const outcomes: Record<string, StateOutcome> = { ...snapshot.outcomes };
  for (const name of currentStates(snapshot)) outcomes[name] = "in_progress";
  return outcomes;
}

/**
 * Tasks the interpreter is waiting on. After an eviction the shell re-issues these (same
 * idempotency keys), because a call in flight when the object died may never have been made.
 */
export function pendingTasks(snapshot: ExecutionSnapshot): InvokeTaskEffect[] {
  if (snapshot.status !== "RUNNING") return [];
  const tasks: InvokeTaskEffect[] = [];
  for (const frame of Object.values(snapshot.frames)) {
    const p = frame.position;
    if (p.kind !== "task") continue;
    tasks.push(invokeEffectOf(p));
  }
  return tasks;
}

export function invokeEffectOf(p: TaskPosition): InvokeTaskEffect {
  return {
    type: "invoke_task",
    taskId: p.taskId,
    resource: p.resource,
    parameters: p.parameters,
    idempotencyKey: p.idempotencyKey,
    attempt: p.attempt,
    stateName: p.state,
    timeoutAt: p.timeoutAt,
    ...(p.taskToken === undefined ? {} : { taskToken: p.taskToken }),
    ...(p.heartbeatAt === undefined ? {} : { heartbeatAt: p.heartbeatAt }),
  };
}
