// Execution history events with Step Functions' type names and detail shapes (API_HistoryEvent):
// payloads (input, output, parameters) are JSON *strings*, as GetExecutionHistory returns them, so
// a history read from here can be compared with one exported from AWS.

/** Step Functions marks payloads it cut short; this engine never truncates (it fails instead). */
export interface PayloadDetails {
  truncated: boolean;
}

export const NOT_TRUNCATED: PayloadDetails = { truncated: false };

export interface StateEnteredEventDetails {
  name: string;
  input: string;
  inputDetails?: PayloadDetails;
}

export interface StateExitedEventDetails {
  name: string;
  output: string;
  outputDetails?: PayloadDetails;
  /** Variables the state set (Assign), name → JSON text; absent when it set none. */
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: PayloadDetails;
}

/** A JSONata expression failed (Step Functions' EvaluationFailedEventDetails). */
export interface EvaluationFailedEventDetails extends ErrorDetails {
  state: string;
  location?: string;
}

/** Both optional: a Fail state may set neither, and Step Functions then omits them. */
export interface ErrorDetails {
  error?: string;
  cause?: string;
}

export interface TaskScheduledEventDetails {
  resource: string;
  resourceType: string;
  region?: string;
  parameters: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}

export interface TaskResourceDetails {
  resource: string;
  resourceType: string;
}

export interface MapIterationEventDetails {
  /** The Map state's name. */
  name: string;
  index: number;
}

/** Each event type with the one details member Step Functions attaches to it. */
export interface EventDetailsByType {
  ExecutionStarted: {
    executionStartedEventDetails: { input: string; inputDetails?: PayloadDetails; roleArn?: string };
  };
  ExecutionSucceeded: { executionSucceededEventDetails: { output: string; outputDetails?: PayloadDetails } };
  ExecutionFailed: { executionFailedEventDetails: ErrorDetails };
  ExecutionAborted: { executionAbortedEventDetails: ErrorDetails };
  ExecutionTimedOut: { executionTimedOutEventDetails: ErrorDetails };
  ExecutionRedriven: { executionRedrivenEventDetails: { redriveCount: number } };
  PassStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  PassStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  TaskStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  TaskStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  TaskScheduled: { taskScheduledEventDetails: TaskScheduledEventDetails };
  TaskStarted: { taskStartedEventDetails: TaskResourceDetails };
  TaskSucceeded: {
    taskSucceededEventDetails: TaskResourceDetails & { output: string; outputDetails?: PayloadDetails };
  };
  TaskFailed: { taskFailedEventDetails: TaskResourceDetails & ErrorDetails };
  TaskTimedOut: { taskTimedOutEventDetails: TaskResourceDetails & ErrorDetails };
  ChoiceStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  ChoiceStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  WaitStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  WaitStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  SucceedStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  SucceedStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  FailStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  ParallelStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  ParallelStateStarted: Record<never, never>;
  ParallelStateSucceeded: Record<never, never>;
  ParallelStateFailed: Record<never, never>;
  ParallelStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  MapStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  MapStateStarted: { mapStateStartedEventDetails: { length: number } };
  MapIterationStarted: { mapIterationStartedEventDetails: MapIterationEventDetails };
  MapIterationSucceeded: { mapIterationSucceededEventDetails: MapIterationEventDetails };
  MapIterationFailed: { mapIterationFailedEventDetails: MapIterationEventDetails };
  MapIterationAborted: { mapIterationAbortedEventDetails: MapIterationEventDetails };
  MapStateSucceeded: Record<never, never>;
  MapStateFailed: Record<never, never>;
  MapStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  EvaluationFailed: { evaluationFailedEventDetails: EvaluationFailedEventDetails };
}

export type HistoryEventType = keyof EventDetailsByType;

interface EventHeader<T extends HistoryEventType> {
  /** Sequential from 1 within an execution. */
  id: number;
  /** The causally previous event (within the same branch or iteration); 0 for the first event. */
  previousEventId: number;
  /** ISO-8601 UTC. */
  timestamp: string;
  type: T;
}

/** A discriminated union on `type`: narrowing on it gives the matching details member. */
export type HistoryEvent = {
  [T in HistoryEventType]: EventHeader<T> & EventDetailsByType[T];
}[HistoryEventType];

export type HistoryEventOf<T extends HistoryEventType> = Extract<HistoryEvent, { type: T }>;

/**
 * The member each event type carries its details in (Step Functions' HistoryEvent), or null for the
 * events that carry none. The type makes every event type name its member exactly.
 */
export const DETAILS_MEMBER: { [T in HistoryEventType]: keyof EventDetailsByType[T] | null } = {
  ExecutionStarted: "executionStartedEventDetails",
  ExecutionSucceeded: "executionSucceededEventDetails",
  ExecutionFailed: "executionFailedEventDetails",
  ExecutionAborted: "executionAbortedEventDetails",
  ExecutionTimedOut: "executionTimedOutEventDetails",
  ExecutionRedriven: "executionRedrivenEventDetails",
  PassStateEntered: "stateEnteredEventDetails",
  PassStateExited: "stateExitedEventDetails",
  TaskStateEntered: "stateEnteredEventDetails",
  TaskStateExited: "stateExitedEventDetails",
  TaskScheduled: "taskScheduledEventDetails",
  TaskStarted: "taskStartedEventDetails",
  TaskSucceeded: "taskSucceededEventDetails",
  TaskFailed: "taskFailedEventDetails",
  TaskTimedOut: "taskTimedOutEventDetails",
  ChoiceStateEntered: "stateEnteredEventDetails",
  ChoiceStateExited: "stateExitedEventDetails",
  WaitStateEntered: "stateEnteredEventDetails",
  WaitStateExited: "stateExitedEventDetails",
  SucceedStateEntered: "stateEnteredEventDetails",
  SucceedStateExited: "stateExitedEventDetails",
  FailStateEntered: "stateEnteredEventDetails",
  ParallelStateEntered: "stateEnteredEventDetails",
  ParallelStateStarted: null,
  ParallelStateSucceeded: null,
  ParallelStateFailed: null,
  ParallelStateExited: "stateExitedEventDetails",
  MapStateEntered: "stateEnteredEventDetails",
  MapStateStarted: "mapStateStartedEventDetails",
  MapIterationStarted: "mapIterationStartedEventDetails",
  MapIterationSucceeded: "mapIterationSucceededEventDetails",
  MapIterationFailed: "mapIterationFailedEventDetails",
  MapIterationAborted: "mapIterationAbortedEventDetails",
  MapStateSucceeded: null,
  MapStateFailed: null,
  MapStateExited: "stateExitedEventDetails",
  EvaluationFailed: "evaluationFailedEventDetails",
};

/** The entered/exited event names per state type, so state handlers never spell them by hand. */
export const STATE_EVENT_NAMES = {
  Pass: { entered: "PassStateEntered", exited: "PassStateExited" },
  Task: { entered: "TaskStateEntered", exited: "TaskStateExited" },
  Choice: { entered: "ChoiceStateEntered", exited: "ChoiceStateExited" },
  Wait: { entered: "WaitStateEntered", exited: "WaitStateExited" },
  Succeed: { entered: "SucceedStateEntered", exited: "SucceedStateExited" },
  Fail: { entered: "FailStateEntered", exited: null },
  Parallel: { entered: "ParallelStateEntered", exited: "ParallelStateExited" },
  Map: { entered: "MapStateEntered", exited: "MapStateExited" },
} as const satisfies Record<string, { entered: HistoryEventType; exited: HistoryEventType | null }>;

/** JSON text of a payload as it appears in history (undefined never reaches here). */
export const payloadText = (value: unknown): string => JSON.stringify(value ?? null);
