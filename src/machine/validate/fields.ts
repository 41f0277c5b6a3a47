// Allowed fields per state type, from the spec's field tables (JSONPath mode). Anything else is
// an error, as in Step Functions, because a misspelt optional field ("bugInputPath") would
// otherwise be ignored silently and change what the machine does.

export const STATE_TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] as const;
export type StateType = (typeof STATE_TYPES)[number];

export function isStateType(value: unknown): value is StateType {
  return typeof value === "string" && (STATE_TYPES as readonly string[]).includes(value);
}

const COMMON = ["Type", "Comment", "QueryLanguage", "InputPath", "OutputPath"] as const;
const FLOW = ["Next", "End", "Assign"] as const;
const RESULT = ["ResultPath", "ResultSelector", "Retry", "Catch"] as const;

export const STATE_FIELDS: Readonly<Record<StateType, ReadonlySet<string>>> = {
  Pass: new Set([...COMMON, ...FLOW, "ResultPath", "Parameters", "Result"]),
  Task: new Set([
    ...COMMON,
    ...FLOW,
    ...RESULT,
    "Parameters",
    "Resource",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
  ]),
  Choice: new Set([...COMMON, "Choices", "Default", "Assign"]),
  Wait: new Set([...COMMON, ...FLOW, "Seconds", "SecondsPath", "Timestamp", "TimestampPath"]),
  Succeed: new Set([...COMMON]),
  // Fail has no InputPath/OutputPath: it produces no output.
  Fail: new Set(["Type", "Comment", "QueryLanguage", "Error", "ErrorPath", "Cause", "CausePath"]),
  Parallel: new Set([...COMMON, ...FLOW, ...RESULT, "Parameters", "Branches"]),
  Map: new Set([
    ...COMMON,
    ...FLOW,
    ...RESULT,
    "ItemsPath",
    "ItemSelector",
    "Parameters",
    "ItemProcessor",
    "Iterator",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
  ]),
};

// JSONata mode (Step Functions guide, "Transforming data with JSONata"): the five JSONPath fields
// (InputPath, Parameters, ResultSelector, ResultPath, OutputPath) and every `…Path` variant give
// way to Arguments and Output, and numbers may be expressions.
const J_COMMON = ["Type", "Comment", "QueryLanguage", "Output", "Assign"] as const;
const J_FLOW = ["Next", "End"] as const;
const J_RESULT = ["Retry", "Catch"] as const;

export const JSONATA_STATE_FIELDS: Readonly<Record<StateType, ReadonlySet<string>>> = {
  Pass: new Set([...J_COMMON, ...J_FLOW]),
  Task: new Set([
    ...J_COMMON,
    ...J_FLOW,
    ...J_RESULT,
    "Resource",
    "Arguments",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "Credentials",
  ]),
  Choice: new Set([...J_COMMON, "Choices", "Default"]),
  Wait: new Set([...J_COMMON, ...J_FLOW, "Seconds", "Timestamp"]),
  Succeed: new Set(["Type", "Comment", "QueryLanguage", "Output"]),
  Fail: new Set(["Type", "Comment", "QueryLanguage", "Error", "Cause"]),
  Parallel: new Set([...J_COMMON, ...J_FLOW, ...J_RESULT, "Arguments", "Branches"]),
  Map: new Set([
    ...J_COMMON,
    ...J_FLOW,
    ...J_RESULT,
    "Items",
    "ItemSelector",
    "ItemProcessor",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "MaxConcurrency",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "Label",
  ]),
};

/** Fields of JSONPath mode that a JSONata state refuses; named in the message. */
export const isJsonPathOnlyField = (key: string): boolean =>
  ["InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result", "Iterator"].includes(
    key,
  ) || key.endsWith("Path");

/** Fields that exist only in JSONata mode; named in the message so the cause is obvious. */
export const JSONATA_ONLY_FIELDS: ReadonlySet<string> = new Set([
  "Arguments",
  "Output",
  "Items",
  "Condition",
]);

export const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set([
  "Comment",
  "StartAt",
  "States",
  "Version",
  "TimeoutSeconds",
  "QueryLanguage",
]);
export const BRANCH_FIELDS: ReadonlySet<string> = new Set(["Comment", "StartAt", "States"]);
export const PROCESSOR_FIELDS: ReadonlySet<string> = new Set([
  "Comment",
  "StartAt",
  "States",
  "ProcessorConfig",
]);
