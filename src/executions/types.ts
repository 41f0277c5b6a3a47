// The shapes that cross the Worker ↔ ExecutionObject RPC boundary.
import type { ExecutionStatus, StateOutcome } from "../machine/snapshot.ts";
import type { JsonValue } from "../machine/types.ts";

export interface ExecutionAddress {
  tenant: string;
  machine: string;
  execution: string;
}

export interface StartRequest extends ExecutionAddress {
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

export type CallbackRequest =
  | { kind: "success"; output: JsonValue }
  | { kind: "failure"; error?: string; cause?: string }
  | { kind: "heartbeat" };

export interface DiagramData {
  definition: string;
  machineVersion: number;
  outcomes: Record<string, StateOutcome>;
}
