import type { JsonValue } from "../machine/types.ts";

/** What performing one Task effect came to, before the interpreter hears of it. */
export type TaskOutcome =
  | { type: "succeeded"; output: JsonValue }
  | { type: "failed"; error: string; cause: string }
  /** A `.waitForTaskToken` call went through: the task now waits for its callback. */
  | { type: "called" };

/** Step Functions caps `cause` at 32,768 characters. */
const MAX_CAUSE = 32_768;

export const succeeded = (output: JsonValue): TaskOutcome => ({ type: "succeeded", output });

export const failed = (error: string, cause: string): TaskOutcome => ({
  type: "failed",
  error,
  cause: cause.length > MAX_CAUSE ? cause.slice(0, MAX_CAUSE) : cause,
});

export const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v);
