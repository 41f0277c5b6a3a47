// The ASL predefined error names (states-language.net "Errors"). Failures inside the engine are
// values, not exceptions: a state that fails produces a StatesFailure which Retry/Catch match by
// `error` name, exactly as Step Functions reports them in history and in `$.Error`/`$.Cause`.

export const StatesError = {
  ALL: "States.ALL",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  Timeout: "States.Timeout",
  TaskFailed: "States.TaskFailed",
  Permissions: "States.Permissions",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  ParameterPathFailure: "States.ParameterPathFailure",
  BranchFailed: "States.BranchFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  IntrinsicFailure: "States.IntrinsicFailure",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  ItemReaderFailed: "States.ItemReaderFailed",
  ResultWriterFailed: "States.ResultWriterFailed",
  Runtime: "States.Runtime",
  DataLimitExceeded: "States.DataLimitExceeded",
  QueryEvaluationError: "States.QueryEvaluationError",
} as const;

export type StatesErrorName = (typeof StatesError)[keyof typeof StatesError];

/** Every predefined name, for validators checking `ErrorEquals`. */
export const STATES_ERROR_NAMES: readonly StatesErrorName[] = Object.values(StatesError);

/**
 * Step Functions: "States.ALL ... can't catch the States.DataLimitExceeded terminal error type
 * and runtime error types" — so Retry/Catch with States.ALL must skip these two names.
 */
export const NOT_MATCHED_BY_ALL: ReadonlySet<string> = new Set<string>([
  StatesError.Runtime,
  StatesError.DataLimitExceeded,
]);

/** A failure as data. `error` is open (tasks raise custom names such as `States.Http.Socket`). */
export interface StatesFailure {
  ok: false;
  error: string;
  cause: string;
}

export interface StatesSuccess<T> {
  ok: true;
  value: T;
}

export type StatesResult<T> = StatesSuccess<T> | StatesFailure;

export const succeed = <T>(value: T): StatesSuccess<T> => ({ ok: true, value });

export const failWith = (error: string, cause: string): StatesFailure => ({ ok: false, error, cause });
