// The retry policy on its own: which failures are retried for which calls, the full-jitter
// ceiling of each backoff, and Retry-After in both of its forms.
import { describe, expect, it } from "vitest";
import {
  backoffMs,
  delayBeforeRetry,
  parseRetryAfter,
  retryPolicy,
  shouldRetry,
} from "../../src/client/retry";

describe("the retry policy", () => {
  it("retries reads and keyed writes on lost replies, 502-504, 429 and transaction conflicts", () => {
    for (const repeat of ["safe", "keyed"] as const) {
      for (const status of [0, 429, 502, 503, 504]) expect(shouldRetry(repeat, status, null)).toBe(true);
      expect(shouldRetry(repeat, 409, "transaction-conflict")).toBe(true);
      for (const [status, code] of [
        [400, "bad-request"],
        [404, "not-found"],
        [409, "conflict"],
        [412, "precondition-failed"],
        [422, "idempotency-mismatch"],
        [500, "internal-server-error"],
      ] as const) {
        expect(shouldRetry(repeat, status, code)).toBe(false);
      }
    }
  });

  it("repeats an unkeyed write only when the server said it did not run it (429)", () => {
    expect(shouldRetry("unkeyed", 429, "too-many-requests")).toBe(true);
    for (const status of [0, 502, 503, 504]) expect(shouldRetry("unkeyed", status, null)).toBe(false);
  });

  it("draws each backoff from [0, min(cap, base·2^(n-1))): full jitter", () => {
    const high = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(high, n))).toEqual([99, 199, 399, 799, 999, 999]);
    const low = retryPolicy({ random: () => 0 });
    expect(backoffMs(low, 3)).toBe(0);
  });

  it("waits at least Retry-After, given in seconds or as an HTTP date", () => {
    const now = Date.parse("2026-12-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("Tue, 01 Dec 2026 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    const policy = retryPolicy({ random: () => 0.5 });
    expect(delayBeforeRetry(policy, 1, 2_000)).toBe(2_000);
    expect(delayBeforeRetry(policy, 1, null)).toBe(50);
  });

  it("defaults: 5 attempts, 100 ms base, 5 s cap, 30 s in all; false is one attempt", () => {
    expect(retryPolicy(undefined)).toMatchObject({
      maxAttempts: 5,
      baseDelayMs: 100,
      maxDelayMs: 5_000,
      totalTimeoutMs: 30_000,
      attemptTimeoutMs: 10_000,
    });
    expect(retryPolicy(false).maxAttempts).toBe(1);
  });
});
