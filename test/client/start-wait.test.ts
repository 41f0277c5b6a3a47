// `start(…, { waitSeconds })` asks the server to hold its reply up to 60 s, longer than one
// attempt's timeout (10 s) and the whole call's (30 s): the held time is added to both. A fake
// fetch that answers when the execution "ends", on fake timers, so no test sleeps 40 s.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createClient, type EdgestateError, type RetryOptions } from "../../src/client/index.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const STARTED = {
  name: "x",
  machine: "m",
  machineVersion: 1,
  status: "RUNNING",
  startedAt: new Date(0).toISOString(),
};

/** A server that holds each request `holdMs` (forever when null), recording when it was abandoned. */
function heldServer(holdMs: number | null) {
  const keys: (string | null)[] = [];
  const abandonedAt: number[] = [];
  const began = Date.now();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    keys.push(new Request(input as RequestInfo, init).headers.get("Idempotency-Key"));
    await new Promise<void>((resolve, reject) => {
      const timer = holdMs === null ? undefined : setTimeout(resolve, holdMs);
      init?.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        abandonedAt.push(Date.now() - began);
        reject(new DOMException("aborted", "AbortError"));
      });
    });
    return Response.json(STARTED, { status: 202 });
  };
  return { fetch, keys, abandonedAt };
}

/**
 * Runs the fake clock a second at a time until the call settles: one long jump can pass a retry's
 * backoff timer that is only set a few promise turns after the attempt before it was abandoned.
 */
async function settled<T>(call: Promise<T>): Promise<T | EdgestateError> {
  let done = false;
  const outcome = call
    .catch((e: EdgestateError) => e)
    .finally(() => {
      done = true;
    });
  for (let s = 0; s < 120 && !done; s++) await vi.advanceTimersByTimeAsync(1_000);
  return outcome;
}

/** Whole seconds: a retry's backoff of 0 ms still waits for a timer tick. */
const seconds = (ms: number[]) => ms.map((m) => Math.floor(m / 1000));

function clientOf(fetch: typeof globalThis.fetch, retry: RetryOptions = {}) {
  return createClient({
    url: "https://edgestate.test",
    key: "esk_x_y",
    fetch,
    retry: { random: () => 0, ...retry },
  });
}

describe("start with waitSeconds", () => {
  it("waitSeconds 40 on an execution that runs 40 s: one attempt, resolved with its 202", async () => {
    const server = heldServer(40_000);
    const started = clientOf(server.fetch).executions.start("m", { input: {}, waitSeconds: 40 });
    expect(await settled(started)).toMatchObject({ status: "RUNNING" });
    expect(server.keys).toHaveLength(1);
    expect(server.abandonedAt).toEqual([]);
  });

  it("an attempt is abandoned after the wait plus attemptTimeoutMs, the call after the wait plus totalTimeoutMs", async () => {
    const server = heldServer(null);
    const started = clientOf(server.fetch).executions.start("m", { input: {}, waitSeconds: 40 });
    expect(await settled(started)).toMatchObject({ code: "timeout", attempts: 2 });
    expect(seconds(server.abandonedAt)).toEqual([50, 70]);
    expect(new Set(server.keys).size).toBe(1);
  });

  it("without a wait, the attempt and call budgets are the configured ones", async () => {
    const server = heldServer(null);
    const started = clientOf(server.fetch, { maxAttempts: 2 }).executions.start("m", { input: {} });
    expect(await settled(started)).toMatchObject({ code: "timeout", attempts: 2 });
    expect(seconds(server.abandonedAt)).toEqual([10, 20]);
  });
});
