// Step Functions caps every payload it passes between states (execution input and output, state
// input/output, task results) at 256 KiB of UTF-8 JSON, failing with States.DataLimitExceeded —
// a terminal error that States.ALL does not match (it can be caught only by name).

import { nestingDepth } from "../core/json/parse-json.ts";
import { failWith, StatesError, type StatesResult, succeed } from "./errors.ts";
import type { JsonValue } from "./types.ts";

export const MAX_PAYLOAD_BYTES = 262_144;
/**
 * Twice the 64 levels a request body may have: room for state data to wrap an input a few times,
 * while a loop that nests deeper on every pass still ends in a clean failure, long before a
 * recursive walk could overflow the stack.
 */
export const MAX_PAYLOAD_DEPTH = 128;

const encoder = new TextEncoder();

export const payloadBytes = (value: JsonValue): number => encoder.encode(JSON.stringify(value)).length;

/**
 * `value` unchanged, or DataLimitExceeded naming what was too large. Nesting is bounded too
 * (MAX_PAYLOAD_DEPTH): a loop such as `{"x.$": "$"}` adds a level per pass, and an unbounded depth
 * would end in a stack overflow in the shell instead of a clean state failure.
 */
export function withinDataLimit(value: JsonValue, what: string): StatesResult<JsonValue> {
  const text = JSON.stringify(value);
  const bytes = encoder.encode(text).length;
  if (bytes > MAX_PAYLOAD_BYTES) {
    return failWith(
      StatesError.DataLimitExceeded,
      `${what} has a size of ${bytes} bytes, exceeding the maximum of ${MAX_PAYLOAD_BYTES} bytes.`,
    );
  }
  if (nestingDepth(text, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH) {
    return failWith(
      StatesError.DataLimitExceeded,
      `${what} is nested deeper than ${MAX_PAYLOAD_DEPTH} levels.`,
    );
  }
  return succeed(value);
}
