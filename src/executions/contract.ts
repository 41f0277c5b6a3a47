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
  history(page: { limit: number; after: number }): Promise<Result<HistoryPage>>;
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
