import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { expectProblem } from "../support/problem";
import { MERGE, seedSession } from "./sessions-support";
import { fetchWith } from "./support";

// RATE_LIMITER_TIGHT exists only in the test pool (vitest.config.ts): 5 requests per 60 s window,
// swapped in for RATE_LIMITER. Windows follow the wall clock, so a burst may straddle one reset.
const LIMIT = 5;
const tight = (env as unknown as { RATE_LIMITER_TIGHT: RateLimit }).RATE_LIMITER_TIGHT;

describe("sessions: rate limits", () => {
  it("session creates and reads count against the key's limit: 429 problem with Retry-After", async () => {
    const tenant = unique("srl");
    const key = await issueKey(tenant);
    const replies: Response[] = [];
    for (let i = 0; i < 2 * LIMIT + 1; i++) {
      const call = i % 2 === 0 ? { body: "{}" } : {};
      const method = i % 2 === 0 ? "POST" : "GET";
      const path = i % 2 === 0 ? "/v1/sessions" : `/v1/sessions/ses_${"A".repeat(43)}`;
      replies.push(await fetchWith({ RATE_LIMITER: tight }, method, path, { key, ...call }));
    }
    const first429 = replies.findIndex((r) => r.status === 429);
    expect(first429).toBeGreaterThanOrEqual(LIMIT);
    expect(first429).toBeLessThanOrEqual(2 * LIMIT);
    for (const [i, r] of replies.slice(0, first429).entries()) expect(r.status).toBe(i % 2 === 0 ? 201 : 404);
    const throttled = replies[first429]!;
    expect(throttled.headers.get("Retry-After")).toBe("60");
    await expectProblem(throttled, 429);
  });

  it("a throttled patch or revocation changes nothing", async () => {
    const s = await seedSession(unique("srl"));
    const key = await issueKey(s.tenant);
    for (let i = 0; i < 2 * LIMIT + 1; i++) {
      await fetchWith({ RATE_LIMITER: tight }, "GET", `/v1/sessions/ses_${"B".repeat(43)}`, { key });
    }
    const patch = await fetchWith({ RATE_LIMITER: tight }, "PATCH", s.path, {
      key,
      body: '{"x":1}',
      contentType: MERGE,
    });
    await expectProblem(patch, 429);
    const revoke = await fetchWith(
      { RATE_LIMITER: tight },
      "DELETE",
      `/v1/subjects/${unique("u")}/sessions`,
      {
        key,
      },
    );
    await expectProblem(revoke, 429);
    const read = await api("GET", s.path, { tenant: s.tenant });
    expect((await json<{ version: number }>(read)).version).toBe(1);
  });
});

describe("sessions: security headers", () => {
  const expectSecure = (res: Response) => {
    expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{8}/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  };

  it("are on every kind of session reply, and session replies are never cacheable", async () => {
    const tenant = unique("shdr");
    const subject = unique("u");
    const created = await api("POST", "/v1/sessions", { tenant, body: { subject, data: { a: 1 } } });
    const { id } = await json<{ id: string }>(created.clone());
    const path = `/v1/sessions/${id}`;
    const replies = [
      created,
      await api("GET", path, { tenant }),
      await api("GET", path, { tenant, headers: { "If-None-Match": '"1"' } }),
      await api("PATCH", path, { tenant, body: { b: 2 }, contentType: MERGE }),
      await api("PATCH", path, { tenant, body: { b: 2 }, contentType: "text/plain" }),
      await api("GET", `/v1/subjects/${subject}/sessions`, { tenant }),
      await api("GET", path, { tenant, key: null }),
      await api("PUT", path, { tenant, body: {} }),
      await api("DELETE", path, { tenant }),
      await api("GET", path, { tenant }),
      await api("DELETE", `/v1/subjects/${subject}/sessions`, { tenant }),
    ];
    expect(replies.map((r) => r.status)).toEqual([201, 200, 304, 200, 415, 200, 401, 405, 204, 404, 200]);
    for (const res of replies) expectSecure(res);
    // Session data belongs to one user: no shared cache may keep a reply that carries or validates
    // it. (A 204 to DELETE carries nothing, and responses to DELETE are not cacheable anyway.)
    for (const res of replies.filter((r) => r.status < 400 && r.status !== 204)) {
      expect(res.headers.get("Cache-Control"), String(res.status)).toBe("no-store");
    }
  });
});
