import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { expectProblem, fetchWith } from "./support";

// RATE_LIMITER_TIGHT exists only in the test pool (vitest.config.ts): 5 requests per 60 s window.
// Each request here runs the real Worker with it in place of RATE_LIMITER. Windows are aligned to
// the wall clock, so a burst may straddle one boundary (at most one reset): hence the bounds below.
const LIMIT = 5;
const tight = (env as unknown as { RATE_LIMITER_TIGHT: RateLimit }).RATE_LIMITER_TIGHT;

async function burst(key: string | undefined, count: number): Promise<Response[]> {
  const replies: Response[] = [];
  for (let i = 0; i < count; i++) {
    replies.push(await fetchWith({ RATE_LIMITER: tight }, "GET", `/v1/entities/doc/${unique()}`, { key }));
  }
  return replies;
}

describe("rate limits per API key", () => {
  const errorLog = captureErrorLog();

  it("answers a 429 problem with Retry-After once a key has spent its limit", async () => {
    const key = await issueKey(unique("rl"), ["read"]);
    const replies = await burst(key, 2 * LIMIT + 1);
    const first429 = replies.findIndex((r) => r.status === 429);
    expect(first429).toBeGreaterThanOrEqual(LIMIT);
    expect(first429).toBeLessThanOrEqual(2 * LIMIT);
    for (const r of replies.slice(0, first429)) expect(r.status).toBe(404);
    const throttled = replies[first429]!;
    expect(throttled.headers.get("Retry-After")).toBe("60");
    const body = await expectProblem(throttled, 429);
    expect(body.title).toBe("Too Many Requests");
    expect(body.instance).toBe(throttled.headers.get("Request-Id"));
  });

  it("Retry-After follows RATE_LIMIT_PERIOD", async () => {
    const key = await issueKey(unique("rl"), ["read"]);
    await burst(key, 2 * LIMIT + 1);
    const res = await fetchWith(
      { RATE_LIMITER: tight, RATE_LIMIT_PERIOD: "10" },
      "GET",
      "/v1/entities/doc/x",
      {
        key,
      },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("10");
  });

  it("counts each key separately", async () => {
    const tenant = unique("rl");
    const a = await issueKey(tenant, ["read"]);
    const b = await issueKey(tenant, ["read"]);
    expect((await burst(a, 2 * LIMIT + 1)).some((r) => r.status === 429)).toBe(true);
    expect((await burst(b, 1))[0]!.status).toBe(404);
  });

  it("limits the admin key under its own counter", async () => {
    expect((await burst(undefined, 2 * LIMIT + 1)).some((r) => r.status === 429)).toBe(true);
  });

  it("checks credentials first: an unknown key is 401, not 429", async () => {
    const res = await fetchWith({ RATE_LIMITER: tight }, "GET", "/v1/entities/doc/x", {
      key: `esk_${"0".repeat(24)}_${"A".repeat(43)}`,
    });
    await expectProblem(res, 401);
  });

  it("lets requests through when the limiter itself fails (logged, not an outage)", async () => {
    const broken = { limit: () => Promise.reject(new Error("limiter down")) };
    const res = await fetchWith({ RATE_LIMITER: broken }, "GET", `/v1/entities/doc/${unique()}`);
    expect(res.status).toBe(404);
    expect(errorLog.lines()).toEqual([
      expect.objectContaining({ event: "rate_limiter_failed", requestId: res.headers.get("Request-Id") }),
    ]);
  });

  it("rejects a RATE_LIMIT_PERIOD the binding cannot have (503, says why)", async () => {
    const res = await fetchWith({ RATE_LIMIT_PERIOD: "30" }, "GET", "/v1/entities/doc/x");
    const body = await expectProblem(res, 503);
    expect(body.detail).toContain("RATE_LIMIT_PERIOD must be 10 or 60");
    expect(errorLog.lines()).toEqual([
      expect.objectContaining({ event: "misconfigured", requestId: body.instance }),
    ]);
  });

  it("keeps the suite's own limiter out of the way of ordinary tests", async () => {
    for (let i = 0; i < 20; i++) expect((await api("GET", `/v1/entities/doc/${unique()}`)).status).toBe(404);
  });
});
