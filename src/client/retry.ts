// When to try a call again, and how long to wait first: exponential backoff with full jitter
// (a random delay in [0, min(cap, base·2^n)], so clients that failed together do not retry
// together), at least the server's Retry-After, never past the call's total time budget.

export interface RetryOptions {
  /** Requests per call, the first included (default 5; 1 turns retries off). */
  maxAttempts?: number;
  /** The first backoff's upper bound in ms (default 100). */
  baseDelayMs?: number;
  /** No backoff is longer than this, in ms (default 5,000); Retry-After may be. */
  maxDelayMs?: number;
  /** A call (every attempt and wait) ends within this many ms (default 30,000). */
  totalTimeoutMs?: number;
  /** One attempt is abandoned after this many ms (default 10,000). */
  attemptTimeoutMs?: number;
  /** Random numbers in [0, 1) for the jitter (tests pin it). */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const o = options === false ? { maxAttempts: 1 } : (options ?? {});
  return {
    maxAttempts: Math.max(1, Math.floor(o.maxAttempts ?? 5)),
    baseDelayMs: o.baseDelayMs ?? 100,
    maxDelayMs: o.maxDelayMs ?? 5_000,
    totalTimeoutMs: o.totalTimeoutMs ?? 30_000,
    attemptTimeoutMs: o.attemptTimeoutMs ?? 10_000,
    random: o.random ?? Math.random,
  };
}

/**
 * How a call may be repeated:
 * - `safe`: a read; repeating it changes nothing.
 * - `keyed`: a write that carries one Idempotency-Key on every attempt, so the server applies it
 *   once and replays its first reply to the others.
 * - `unkeyed`: a write the server cannot deduplicate (issuing a key): repeated only when the
 *   server said it did not run it (429), never after a reply that may have been lost.
 */
export type Repeatability = "safe" | "keyed" | "unkeyed";

/** The problem types that say "nothing happened, try again". */
const RETRYABLE_CODES = new Set(["transaction-conflict"]);

/** Whether a reply (or no reply: `status` 0) is worth another attempt. */
export function shouldRetry(repeat: Repeatability, status: number, code: string | null): boolean {
  if (status === 429) return true;
  if (repeat === "unkeyed") return false;
  if (status === 0 || status === 502 || status === 503 || status === 504) return true;
  return code !== null && RETRYABLE_CODES.has(code);
}

/** The backoff before attempt `attempt + 1` (attempt counts from 1): full jitter. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before the next attempt: the backoff, or longer if the server asked for longer. */
export function delayBeforeRetry(policy: RetryPolicy, attempt: number, retryAfterMs: number | null): number {
  return Math.max(backoffMs(policy, attempt), retryAfterMs ?? 0);
}
