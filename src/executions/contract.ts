// The shapes that cross the Worker ↔ ExecutionObject RPC boundary: the contract of one
// execution's object, in one place. Payloads are core's JsonValue, whose recursion goes through
// interfaces so that stub types stay within the type checker's depth.

import type { Keyed, Reply } from "../core/idempotency";
import type { JsonValue } from "../core/json/json-value";
import type { Result } from "../core/result";
import type { ExecutionStatus, StateOutcome } from "../machine/engine.ts";

export interface ExecutionAddress {
  tenant: string;
  machine: string;
  execution: string;
}

export interface StartRequest extends Keyed {
  machineVersion: number;
  /** Canonical JSON text of the definition version; the execution keeps its own copy. */
  definition: string;
  input: JsonValue;
  /** A limit besides the definition's TimeoutSeconds (StartSyncExecution's 300 s). */
  maxSeconds?: number;
}

export interface ExecutionDescription {
  name: string;
  machine: string;
  machineVersion: number;
  status: ExecutionStatus;
  input: JsonValue;
  output: JsonValue | null;
  error: string | null;
  cause: string | null;
  startedAt: string;
  stoppedAt: string | null;
  currentStates: string[];
  /** Times the execution was redriven, and when last (ISO). */
  redriveCount: number;
  redrivenAt: string | null;
  /** Whether RedriveExecution would take it now, and if not, AWS's reason why. */
  redriveStatus: "REDRIVABLE" | "NOT_REDRIVABLE";
  redriveStatusReason: string | null;
}

export interface StartOutcome {
  /** false: an execution with this name and the same input already existed. */
  created: boolean;
  description: ExecutionDescription;
}

/** A history event as the API shows it: the one `…EventDetails` member becomes `details`. */
export interface ApiHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  details: Record<string, JsonValue>;
}

export interface HistoryPage {
  events: ApiHistoryEvent[];
  cursor: string | null;
}

/** A page of history: after an event id, or (reverse) before one, newest first. */
export interface HistoryQuery {
  limit: number;
  /** The cursor: 0 (or absent in reverse) starts at the beginning (the end). */
  after: number;
  reverse?: boolean;
}

/** RedriveExecution / POST …/redrive: a write like the others (Idempotency-Key, AWS's clientToken). */
export type RedriveRequest = Keyed;

export interface RedriveOutcome {
  /** Epoch ms of this redrive. */
  redrivenAt: number;
  description: ExecutionDescription;
}

export interface StopRequest extends Keyed {
  error?: string;
  cause?: string;
}

export type Callback =
  | { kind: "success"; output: JsonValue }
  | { kind: "failure"; error?: string; cause?: string }
  | { kind: "heartbeat" };

export interface CallbackRequest extends Keyed {
  callback: Callback;
}

/** A callback's one answer for a task that is not waiting (it ended, timed out or was stopped). */
export const NO_WAITING_TASK = "no task is waiting for this token";

export interface DiagramData {
  definition: string;
  machineVersion: number;
  outcomes: Record<string, StateOutcome>;
}

/** A task the execution is waiting on (its call in flight, or its callback outstanding). */
export interface WaitingTask {
  taskId: string;
  state: string;
  resource: string;
  /** For `.waitForTaskToken` tasks: the token a callback must carry. */
  taskToken: string | null;
  timeoutAt: string;
  heartbeatAt: string | null;
}

/** What one execution's object answers; ExecutionObject implements it. */
export interface ExecutionApi {
  start(address: ExecutionAddress, request: StartRequest): Promise<Reply<StartOutcome>>;
  describe(): Promise<Result<ExecutionDescription>>;
  /** Holds the reply until the execution ends (its description) or `ms` pass (null). */
  awaitEnd(ms: number): Promise<ExecutionDescription | null>;
  history(page: HistoryQuery): Promise<Result<HistoryPage>>;
  /** Goes on from where a FAILED, TIMED_OUT or ABORTED execution stopped; conflict when it cannot. */
  redrive(address: ExecutionAddress, request: RedriveRequest): Promise<Reply<RedriveOutcome>>;
  stop(address: ExecutionAddress, request: StopRequest): Promise<Reply<ExecutionDescription>>;
  /** A callback for a `.waitForTaskToken` task; not_found unless that task is waiting now. */
  callback(
    address: ExecutionAddress,
    taskId: string,
    token: string,
    request: CallbackRequest,
  ): Promise<Reply<null>>;
  diagram(): Promise<Result<DiagramData>>;
  /** What it waits on now: none once it has ended. */
  waitingTasks(): Promise<Result<WaitingTask[]>>;
}
