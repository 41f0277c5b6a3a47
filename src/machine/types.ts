// Amazon States Language definition types (JSONPath and JSONata modes), as states-language.net
// and the Step Functions guide name them. A JSONata field may hold an expression string
// (`"{% … %}"`) where JSONPath takes a number (TimeoutSeconds, MaxConcurrency, …).
// A definition reaching the interpreter has already passed the validator, so these types describe
// a valid definition; the interpreter still fails with States.Runtime rather than crashing when a
// runtime value (a path result, a timestamp) does not fit.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A Parameters / ResultSelector / ItemSelector template: `.$` keys are resolved at run time. */
export type PayloadTemplate = JsonObject;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  Version?: string;
  /** Execution-level timeout; absent means no limit beyond the platform's. */
  TimeoutSeconds?: number;
  QueryLanguage?: "JSONPath" | "JSONata";
}

/** Parallel branches and Map item processors are sub-machines without the top-level extras. */
export interface SubMachine {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  ProcessorConfig?: { Mode?: "INLINE" | "DISTRIBUTED"; ExecutionType?: "STANDARD" | "EXPRESS" };
}

export type StateType = State["Type"];

/** A number, or in JSONata mode an expression string that evaluates to one. */
export type NumberOrExpression = number | string;

/** Variables to set: names to JSON values (JSONPath: templates with `.$`; JSONata: expressions). */
export type Assignments = JsonObject;

interface Common {
  Comment?: string;
  QueryLanguage?: "JSONPath" | "JSONata";
  Assign?: Assignments;
  /** JSONata: the state output (any JSON with `{% %}` expressions). */
  Output?: JsonValue;
  /** `null` means "an empty object {}" for InputPath, per the spec's null semantics. */
  InputPath?: string | null;
  OutputPath?: string | null;
}

interface Transition {
  Next?: string;
  End?: boolean;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Assign?: Assignments;
  /** JSONata: what goes to Next (defaults to the error output `{Error, Cause}`). */
  Output?: JsonValue;
}

interface Recoverable {
  Retry?: Retrier[];
  Catch?: Catcher[];
}

interface Results {
  ResultPath?: string | null;
  ResultSelector?: PayloadTemplate;
}

export interface PassState extends Common, Transition {
  Type: "Pass";
  Result?: JsonValue;
  ResultPath?: string | null;
  Parameters?: PayloadTemplate;
}

export interface TaskState extends Common, Transition, Recoverable, Results {
  Type: "Task";
  Resource: string;
  Parameters?: PayloadTemplate;
  /** JSONata: what the task receives (defaults to the state input). */
  Arguments?: JsonValue;
  TimeoutSeconds?: NumberOrExpression;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: NumberOrExpression;
  HeartbeatSecondsPath?: string;
  Credentials?: JsonObject;
}

export interface ChoiceState extends Common {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends Common, Transition {
  Type: "Wait";
  Seconds?: NumberOrExpression;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
}

export interface SucceedState extends Common {
  Type: "Succeed";
}

export interface FailState {
  Type: "Fail";
  Comment?: string;
  QueryLanguage?: "JSONPath" | "JSONata";
  Error?: string;
  ErrorPath?: string;
  Cause?: string;
  CausePath?: string;
}

export interface ParallelState extends Common, Transition, Recoverable, Results {
  Type: "Parallel";
  Branches: SubMachine[];
  Parameters?: PayloadTemplate;
  Arguments?: JsonValue;
}

export interface MapState extends Common, Transition, Recoverable, Results {
  Type: "Map";
  ItemsPath?: string;
  /** JSONata: the array to iterate, or an expression giving it (defaults to the state input). */
  Items?: JsonValue;
  ItemSelector?: PayloadTemplate;
  /** Older name of ItemSelector; still accepted by Step Functions. */
  Parameters?: PayloadTemplate;
  ItemProcessor?: SubMachine;
  /** Older name of ItemProcessor. */
  Iterator?: SubMachine;
  MaxConcurrency?: NumberOrExpression;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: NumberOrExpression;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: NumberOrExpression;
  ToleratedFailureCountPath?: string;
}

export type State =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

export type ComparisonOperator =
  | "StringEquals"
  | "StringLessThan"
  | "StringGreaterThan"
  | "StringLessThanEquals"
  | "StringGreaterThanEquals"
  | "StringMatches"
  | "NumericEquals"
  | "NumericLessThan"
  | "NumericGreaterThan"
  | "NumericLessThanEquals"
  | "NumericGreaterThanEquals"
  | "BooleanEquals"
  | "TimestampEquals"
  | "TimestampLessThan"
  | "TimestampGreaterThan"
  | "TimestampLessThanEquals"
  | "TimestampGreaterThanEquals"
  | "IsNull"
  | "IsPresent"
  | "IsNumeric"
  | "IsString"
  | "IsBoolean"
  | "IsTimestamp";

/** What a top-level Choice rule may add: where to go, and (when it matches) variables and output. */
interface RuleOutcome {
  Next?: string;
  Assign?: Assignments;
  Output?: JsonValue;
}

/** JSONata: a rule is one boolean expression. */
export interface ConditionRule extends RuleOutcome {
  Condition: string | boolean;
}

/** A comparison reads `Variable`; an operator named `…Path` takes its operand from the input. */
export interface ComparisonRule extends RuleOutcome {
  Variable: string;
  StringEquals?: string;
  StringEqualsPath?: string;
  StringLessThan?: string;
  StringLessThanPath?: string;
  StringGreaterThan?: string;
  StringGreaterThanPath?: string;
  StringLessThanEquals?: string;
  StringLessThanEqualsPath?: string;
  StringGreaterThanEquals?: string;
  StringGreaterThanEqualsPath?: string;
  StringMatches?: string;
  NumericEquals?: number;
  NumericEqualsPath?: string;
  NumericLessThan?: number;
  NumericLessThanPath?: string;
  NumericGreaterThan?: number;
  NumericGreaterThanPath?: string;
  NumericLessThanEquals?: number;
  NumericLessThanEqualsPath?: string;
  NumericGreaterThanEquals?: number;
  NumericGreaterThanEqualsPath?: string;
  BooleanEquals?: boolean;
  BooleanEqualsPath?: string;
  TimestampEquals?: string;
  TimestampEqualsPath?: string;
  TimestampLessThan?: string;
  TimestampLessThanPath?: string;
  TimestampGreaterThan?: string;
  TimestampGreaterThanPath?: string;
  TimestampLessThanEquals?: string;
  TimestampLessThanEqualsPath?: string;
  TimestampGreaterThanEquals?: string;
  TimestampGreaterThanEqualsPath?: string;
  IsNull?: boolean;
  IsPresent?: boolean;
  IsNumeric?: boolean;
  IsString?: boolean;
  IsBoolean?: boolean;
  IsTimestamp?: boolean;
}

export interface AndRule extends RuleOutcome {
  And: ChoiceRule[];
}

export interface OrRule extends RuleOutcome {
  Or: ChoiceRule[];
}

export interface NotRule extends RuleOutcome {
  Not: ChoiceRule;
}

/** Top-level rules carry `Next`; nested ones (inside And/Or/Not) do not. */
export type ChoiceRule = ComparisonRule | AndRule | OrRule | NotRule | ConditionRule;
