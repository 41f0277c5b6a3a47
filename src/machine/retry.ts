// Retry (states-language.net "Retrying after error"): the first retrier whose ErrorEquals matches
// decides; if it has used up MaxAttempts the state goes on to Catch, even if a later retrier
// would also match. Delays are computed here and kept in the snapshot as an absolute deadline.

import { errorMatches } from "./error-match.ts";
import type { Retrier } from "./types.ts";

export const DEFAULT_INTERVAL_SECONDS = 1;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_RATE = 2.0;

export type RetryDecision = { retry: true; retrierIndex: number; delayMs: number } | { retry: false };

/**
 * Decide whether to retry `error`, given how often each retrier has already been used.
 * The n-th use of a retrier (n from 0) waits IntervalSeconds × BackoffRate^n, capped by
 * MaxDelaySeconds; with JitterStrategy FULL a uniform random fraction of that.
 */
export function decideRetry(
  retriers: readonly Retrier[] | undefined,
  used: readonly number[],
  error: string,
  random: () => number,
): RetryDecision {
  if (!retriers) return { retry: false };
  const index = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error));
  const retrier = retriers[index];
  if (!retrier) return { retry: false };
  const count = used[index] ?? 0;
  if (count >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return { retry: false };
  return { retry: true, retrierIndex: index, delayMs: retryDelayMs(retrier, count, random) };
}

export function retryDelayMs(retrier: Retrier, count: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const rate = retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE;
  let seconds = interval * rate ** count;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") seconds *= random();
  return Math.round(seconds * 1000);
}

/** The `used` counters after retrier `index` has been used once more. */
export function countRetry(used: readonly number[], index: number): number[] {
  const next = [...used];
  while (next.length <= index) next.push(0);
  next[index] = (next[index] ?? 0) + 1;
  return next;
}
