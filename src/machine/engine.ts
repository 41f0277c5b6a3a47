// The interpreter's public surface for its shell (ExecutionObject) and the HTTP layer: import
// from here, not from the individual modules.

export { MAX_PAYLOAD_BYTES, payloadBytes } from "./data-limit.ts";
export type { Effect, ExecutionInput, InvokeTaskEffect, StepEnv } from "./effects.ts";
export { DETAILS_MEMBER, type HistoryEvent, type HistoryEventOf, type HistoryEventType } from "./events.ts";
export { REDRIVE_WINDOW_MS, type Redrivability, redrivability } from "./redrive.ts";
export {
  currentStates,
  type ExecutionSnapshot,
  type ExecutionStatus,
  nextWakeAt,
  pendingTasks,
  type StateOutcome,
  stateOutcomes,
} from "./snapshot.ts";
export { WAIT_FOR_TASK_TOKEN, waitsForCallback } from "./states/task-resource.ts";
export {
  executionId,
  MAX_HISTORY_EVENTS,
  redrive,
  type StartOptions,
  type StepResult,
  startExecution,
  stateMachineId,
  step,
} from "./step.ts";
export type { JsonValue, StateMachineDefinition } from "./types.ts";
