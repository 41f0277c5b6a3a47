// Every deadline the interpreter keeps (a Wait's end, a retry's next attempt, a task's timeout)
// becomes the execution object's alarm. Durable Object alarms hold an int64 count of nanoseconds,
// so the latest instant they can represent is 2262-04-11T23:47:16.854Z; a later one overflows and
// the alarm fires at once, which would skip the wait and move the execution clock to that date.
// A deadline past it is refused as a state failure, never scheduled.

import { failWith, StatesError, type StatesResult, succeed } from "./errors.ts";

/** Math.floor((2^63 - 1) ns / 1e6): the last millisecond an alarm can be set for. */
export const LATEST_SCHEDULABLE_MS = 9_223_372_036_854;

export function schedulable(at: number, what: string): StatesResult<number> {
  if (Number.isFinite(at) && at <= LATEST_SCHEDULABLE_MS) return succeed(at);
  const when = Number.isFinite(at) && Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : "out of range";
  return failWith(
    StatesError.Runtime,
    `${what} would end at ${when}, after ${new Date(LATEST_SCHEDULABLE_MS).toISOString()}, the latest time this platform can schedule.`,
  );
}
