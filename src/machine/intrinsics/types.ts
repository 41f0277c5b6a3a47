import { failWith, StatesError, type StatesFailure, type StatesResult } from "../errors.ts";
import type { ContextObject } from "../paths/context.ts";
import type { IntrinsicCall } from "./ast.ts";

/** Returns a number in [0, 1), like Math.random; injected so tests and replays are deterministic. */
export type RandomSource = () => number;

export interface IntrinsicEnv {
  input: unknown;
  context: ContextObject;
  random: RandomSource;
  /** Variables that `$name` path arguments read; none outside a running state. */
  variables?: Readonly<Record<string, unknown>>;
}

export interface IntrinsicFunction {
  name: string;
  minArgs: number;
  /** Infinity for variadic functions (States.Format, States.Array). */
  maxArgs: number;
  evaluate(args: readonly unknown[], env: IntrinsicEnv, call: IntrinsicCall): StatesResult<unknown>;
}

/** Step Functions reports bad arguments to an intrinsic as States.IntrinsicFailure. */
export const intrinsicFailure = (fn: string, message: string): StatesFailure =>
  failWith(StatesError.IntrinsicFailure, `Invalid arguments in ${fn}: ${message}`);

/** The JSON type name of a value, for cause messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** AWS documents a 10,000 character limit for Base64Encode/Decode and Hash inputs. */
export const MAX_STRING_INPUT = 10_000;

export const isInteger = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value);
