// Step Functions caps every payload it passes between states (execution input and output, state
// input/output, task results) at 256 KiB of UTF-8 JSON, failing with States.DataLimitExceeded —
// a terminal error that States.ALL does not match (it can be caught only by name).

import { MAX_JSON_DEPTH, nestingDepth } from "../core/json/parse-json.ts";
import { failWith, StatesError, type StatesResult, succeed } from "./errors.ts";
import type { JsonValue } from "./types.ts";

export const MAX_PAYLOAD_BYTES = 262_144;

const encoder = new TextEncoder();

export const payloadBytes = (value: JsonValue): number => encoder.encode(JSON.stringify(value)).length;

/**
 * `value` unchanged, or DataLimitExceeded naming what was too large. Nesting is bounded too (the
 * same 64 levels as a request body): a loop such as `{"x.$": "$"}` adds a level per pass, and an
 * unbounded depth would end in a stack overflow in the shell instead of a clean state failure.
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
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    return failWith(StatesError.DataLimitExceeded, `${what} is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return succeed(value);
}
