// Step Functions caps every payload it passes between states (execution input and output, state
// input/output, task results) at 256 KiB of UTF-8 JSON, failing with States.DataLimitExceeded —
// a terminal error that States.ALL does not match (it can be caught only by name).

import { failWith, StatesError, type StatesResult, succeed } from "./errors.ts";
import type { JsonValue } from "./types.ts";

export const MAX_PAYLOAD_BYTES = 262_144;

const encoder = new TextEncoder();

export const payloadBytes = (value: JsonValue): number => encoder.encode(JSON.stringify(value)).length;

/** `value` unchanged, or DataLimitExceeded naming what was too large. */
export function withinDataLimit(value: JsonValue, what: string): StatesResult<JsonValue> {
  const bytes = payloadBytes(value);
  if (bytes <= MAX_PAYLOAD_BYTES) return succeed(value);
  return failWith(
    StatesError.DataLimitExceeded,
    `${what} has a size of ${bytes} bytes, exceeding the maximum of ${MAX_PAYLOAD_BYTES} bytes.`,
  );
}
