import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import {
  copyKeyOf,
  type EntityRef,
  entityObject,
  get,
  kvCopy,
  mergePatch,
  newEntity,
  put,
  read,
  remove,
  warmCopy,
} from "../support/entities";
import { expectProblem } from "../support/problem";

const expiresOf = (res: Response) => res.headers.get("Edgestate-Expires");

/** Moves the entity object's clock past the expiry of every kept version (ttl ≤ 3600 s here). */
async function expireNow(e: EntityRef) {
  const clock = new ManualClock(Date.now() + 3_601_000);
  await useClock(entityObject(e), clock);
  return clock;
}

const rowCounts = (e: EntityRef) =>
  runInDurableObject(entityObject(e), (_, state) => ({
    versions: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM versions").one().n,
    idempotency: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n,
    replies: state.storage.sql.exec<{ n: number }>("SELECT COUNT(reply) AS n FROM idempotency").one().n,
  }));

describe("?ttl on writes", () => {
  it("sets Edgestate-Expires on PUT, and GET shows the same expiry", async () => {
    const e = newEntity();
    const before = Date.now();
    const res = await put(e, { a: 1 }, {}, "?ttl=60");
    expect(res.status).toBe(201);
    const expires = Date.parse(expiresOf(res)!);
    expect(expiresOf(res)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(expires).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000 + 1_000);
    expect(expiresOf(await get(e))).toBe(expiresOf(res));
  });

  it("clears the expiry on a PUT without ttl", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=60");
    const res = await put(e, { a: 2 });
    expect(res.headers.has("Edgestate-Expires")).toBe(false);
    expect((await get(e)).headers.has("Edgestate-Expires")).toBe(false);
  });

  it("keeps the expiry on a PATCH without ttl", async () => {
    const e = newEntity();
    const first = expiresOf(await put(e, { a: 1 }, {}, "?ttl=120"));
    const res = await mergePatch(e, { b: 2 });
    expect(res.status).toBe(200);
    expect(expiresOf(res)).toBe(first);
    expect(expiresOf(await get(e))).toBe(first);
  });

  it("sets a new expiry on a PATCH with ttl", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await mergePatch(e, { b: 2 }, {}, "?ttl=3600");
    const expires = Date.parse(expiresOf(res)!);
    expect(expires).toBeGreaterThan(Date.now() + 3_500_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);
  });

  it.each([["1"], ["31536000"]])("accepts ttl=%s (the bounds)", async (ttl) => {
    const e = newEntity();
    const res = await put(e, { a: 1 }, {}, `?ttl=${ttl}`);
    expect(res.status).toBe(201);
    expect(expiresOf(res)).not.toBeNull();
  });

  it.each([["0"], ["31536001"], ["-1"], ["1.5"], ["abc"], [""], ["01"], ["1e3"]])(
    "refuses ttl=%s with 400 and writes nothing",
    async (ttl) => {
      const e = newEntity();
      const problem = await expectProblem(await put(e, { a: 1 }, {}, `?ttl=${ttl}`), 400);
      expect(problem.errors?.[0]?.pointer).toBe("/query/ttl");
      expect((await read(e)).status).toBe(404);
    },
  );

  it("refuses an out-of-range ttl on PATCH with 400", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await expectProblem(await mergePatch(e, { b: 1 }, {}, "?ttl=31536001"), 400);
    expect((await read(e)).version).toBe(1);
  });
});

describe("expiry", () => {
  it("schedules an alarm at the expiry", async () => {
    const e = newEntity();
    const expires = Date.parse(expiresOf(await put(e, { a: 1 }, {}, "?ttl=60"))!);
    const alarm = await runInDurableObject(entityObject(e), (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(expires);
  });

  it("serves an expired entity as 404 at once, before its alarm has run", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=3600");
    await mergePatch(e, { b: 2 });
    await expireNow(e);

    await expectProblem(await get(e), 404);
    await expectProblem(await api("GET", `${e.path}/history`), 404);
    await expectProblem(await get(e, {}, "?version=1"), 404);
    await expectProblem(await get(e, { headers: { "If-None-Match": '"2"' } }), 404);
    // The reads above were refused by the clock: the alarm has not run.
    const alarm = await runInDurableObject(entityObject(e), (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    await expectProblem(await mergePatch(e, { c: 3 }), 404);
    await expectProblem(await remove(e), 404);
  });

  it("the alarm purges every row and every reply that showed it, and the KV copy is deleted", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, { headers: { "Idempotency-Key": "k-ttl" } }, "?ttl=3600");
    await mergePatch(e, { b: 2 });
    await warmCopy(e);
    expect(await rowCounts(e)).toEqual({ versions: 2, idempotency: 1, replies: 1 });

    await expireNow(e);
    expect(await runDurableObjectAlarm(entityObject(e))).toBe(true);
    // The key stays spent for its 24 hours (issue 11 #5), but its reply, which showed the document, is gone.
    expect(await rowCounts(e)).toEqual({ versions: 0, idempotency: 1, replies: 0 });
    // The copy's deletion is a KV write, paced like every other (at most one per second per key).
    await expect
      .poll(async () => (await env.CACHE.get(copyKeyOf(e))) === null, { timeout: 10_000 })
      .toBe(true);
    await expectProblem(await get(e), 404);
    await expectProblem(await get(e, {}, "?consistency=eventual"), 404);
  });

  it("never serves an expired entity from a KV copy that lingers", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=3600");
    await warmCopy(e);
    // Test setup: time passes for the object's rows and for the copy's metadata alike.
    await expireNow(e);
    const copy = (await kvCopy(e))!;
    await env.CACHE.put(copyKeyOf(e), copy.value, { metadata: { ...copy.meta, x: Date.now() - 1_000 } });

    const res = await get(e, {}, "?consistency=eventual");
    expect(res.headers.get("Edgestate-Cache")).not.toBe("hit");
    await expectProblem(res, 404);
  });

  it("a re-created entity continues the version numbering after the purge", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=3600");
    await put(e, { a: 2 }, {}, "?ttl=3600");
    await expireNow(e);
    expect(await runDurableObjectAlarm(entityObject(e))).toBe(true);

    const res = await put(e, { fresh: true });
    expect(res.status).toBe(201);
    expect(res.headers.get("ETag")).toBe('"3"');
    expect(await json(res)).toEqual({ fresh: true });
    const history = await json<{ items: { version: number }[] }>(await api("GET", `${e.path}/history`));
    expect(history.items.map((i) => i.version)).toEqual([3]);
  });

  it("a write after expiry, before the alarm, creates a fresh entity with the next version", async () => {
    const e = newEntity();
    await put(e, { old: true }, {}, "?ttl=3600");
    await expireNow(e);
    const res = await put(e, { new: true });
    expect(res.status).toBe(201);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.has("Edgestate-Expires")).toBe(false);
    const history = await json<{ items: { version: number; body: unknown }[] }>(
      await api("GET", `${e.path}/history`),
    );
    expect(history.items).toEqual([expect.objectContaining({ version: 2, body: { new: true } })]);
  });

  it("If-Match on an expired entity fails as on a missing one (412 without ETag)", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=3600");
    await expireNow(e);
    const res = await put(e, { a: 2 }, { headers: { "If-Match": '"1"' } });
    expect(res.headers.has("ETag")).toBe(false);
    await expectProblem(res, 412);
  });

  it("keeps an Idempotency-Key spent after the entity expires: a retry is never applied again", async () => {
    const e = newEntity();
    const key = { headers: { "Idempotency-Key": "k-outlives" } };
    expect((await put(e, { a: 1 }, key, "?ttl=60")).status).toBe(201);
    const clock = await expireNow(e);

    // The first reply showed a document that has expired: it is not shown again, nor re-created.
    const retry = await expectProblem(await put(e, { a: 1 }, key, "?ttl=60"), 404);
    expect(retry.detail).toContain("expired");
    expect((await read(e)).status).toBe(404);
    await expectProblem(await put(e, { a: 2 }, key, "?ttl=60"), 422);
    // The same once the alarm has purged the entity.
    expect(await runDurableObjectAlarm(entityObject(e))).toBe(true);
    await expectProblem(await put(e, { a: 1 }, key, "?ttl=60"), 404);
    expect((await read(e)).status).toBe(404);

    // 24 hours after the first request the key is forgotten, and the same request is a new one.
    clock.advance(24 * 60 * 60 * 1000);
    expect(await runDurableObjectAlarm(entityObject(e))).toBe(true);
    const fresh = await put(e, { a: 1 }, key);
    expect(fresh.status).toBe(201);
    expect(fresh.headers.has("Idempotent-Replayed")).toBe(false);
  });
});
