import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import {
  cacheOf,
  copyKeyOf,
  entityObject,
  get,
  kvCopy,
  mergePatch,
  newEntity,
  put,
  warmCopy,
} from "../support/entities";
import { expectProblem } from "../support/problem";

// KV copies are kept only while the entity is read with consistency=eventual (a miss opens the
// object's copy lease); under a lease the object refreshes the copy after each commit, at most
// once per second per key, a write inside that second being deferred to its alarm. Tests poll,
// never sleep.
const POLL = { timeout: 15_000, interval: 100 };

describe("strong reads (the default)", () => {
  it("bypass the cache by default", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    expect(cacheOf(await get(e))).toBe("bypass");
  });

  it("bypass the cache with ?consistency=strong", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    expect(cacheOf(await get(e, {}, "?consistency=strong"))).toBe("bypass");
  });

  it("see every write at once", async () => {
    const e = newEntity();
    for (let i = 1; i <= 3; i++) {
      await put(e, { i });
      expect(await json(await get(e))).toEqual({ i });
    }
  });
});

describe("?consistency=eventual", () => {
  it("misses, serves the object's answer and refills KV; the next reads hit", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    // A write alone keeps no copy: nobody has read the entity eventually yet.
    expect(await kvCopy(e)).toBeNull();

    const miss = await get(e, {}, "?consistency=eventual");
    expect(miss.status).toBe(200);
    expect(cacheOf(miss)).toBe("miss");
    expect(miss.headers.get("ETag")).toBe('"1"');
    expect(await json(miss)).toEqual({ a: 1 });

    await expect.poll(async () => cacheOf(await get(e, {}, "?consistency=eventual")), POLL).toBe("hit");
    const hit = await get(e, {}, "?consistency=eventual");
    expect(cacheOf(hit)).toBe("hit");
    expect(hit.headers.get("ETag")).toBe('"1"');
    expect(hit.headers.get("Edgestate-Version")).toBe("1");
    expect(hit.headers.get("Last-Modified")).toBe(miss.headers.get("Last-Modified"));
    expect(await json(hit)).toEqual({ a: 1 });
  });

  it("answers 304 from a hit when If-None-Match is current", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await expect.poll(async () => cacheOf(await get(e, {}, "?consistency=eventual")), POLL).toBe("hit");
    const res = await get(e, { headers: { "If-None-Match": '"1"' } }, "?consistency=eventual");
    expect(res.status).toBe(304);
    expect(cacheOf(res)).toBe("hit");
  });

  it("answers 404 on a miss for an entity that does not exist", async () => {
    await expectProblem(await get(newEntity(), {}, "?consistency=eventual"), 404);
  });

  it("bypasses the cache when a version is asked for", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    expect(cacheOf(await get(e, {}, "?consistency=eventual&version=1"))).toBe("bypass");
  });

  it("refuses an unknown consistency with 400", async () => {
    const e = newEntity();
    await put(e, 1);
    const problem = await expectProblem(await get(e, {}, "?consistency=sometimes"), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/query/consistency");
  });
});

describe("KV copies", () => {
  it("carry the version, update time and expiry, and hold the document only sealed", async () => {
    const e = newEntity();
    const res = await put(e, { secret: "plain-text-marker" }, {}, "?ttl=3600");
    await warmCopy(e);
    const found = (await kvCopy(e))!;
    expect(found.meta.v).toBe(1);
    expect(new Date(found.meta.u).toUTCString()).toBe(res.headers.get("Last-Modified"));
    expect(new Date(found.meta.x!).toISOString()).toBe(res.headers.get("Edgestate-Expires"));
    expect(found.value).not.toContain("plain-text-marker");
  });

  it("expire by themselves within the configured safety bound", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await warmCopy(e);
    const { keys } = await env.CACHE.list({ prefix: copyKeyOf(e) });
    expect(keys).toHaveLength(1);
    const expiration = keys[0]!.expiration!;
    expect(expiration).toBeDefined();
    // CACHE_TTL_SECONDS is 300 in wrangler.toml.
    expect(expiration * 1000).toBeLessThanOrEqual(Date.now() + 300_000 + 2_000);
    expect(expiration * 1000).toBeGreaterThan(Date.now());
  });

  it("expire no later than their entity (within KV's 60 s floor)", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=90");
    await warmCopy(e);
    const { keys } = await env.CACHE.list({ prefix: copyKeyOf(e) });
    const expiration = keys[0]!.expiration! * 1000;
    expect(expiration).toBeLessThanOrEqual(Date.now() + 90_000 + 2_000);
    expect(expiration).toBeGreaterThan(Date.now() + 55_000);
  });

  it("converge on the latest version after a burst of writes (the deferred write is an alarm)", async () => {
    const e = newEntity();
    const stub = entityObject(e);
    await put(e, { n: 0 });
    await warmCopy(e);
    for (let n = 1; n <= 6; n++) await mergePatch(e, { n });
    // Writes inside the one-second window are not lost: they are owed to KV by an alarm.
    const due = await runInDurableObject(stub, (_, state) => state.storage.kv.get<number>("cacheDueAt"));
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    if (due !== undefined) expect(alarm).toBeLessThanOrEqual(due);

    await expect
      .poll(async () => {
        await runDurableObjectAlarm(stub);
        return (await kvCopy(e))?.meta.v;
      }, POLL)
      .toBe(7);
    const hit = await get(e, {}, "?consistency=eventual");
    expect(cacheOf(hit)).toBe("hit");
    expect(hit.headers.get("ETag")).toBe('"7"');
    expect(await json(hit)).toEqual({ n: 6 });
    // Nothing is owed any more.
    expect(await runInDurableObject(stub, (_, state) => state.storage.kv.get("cacheDueAt"))).toBeUndefined();
  });
});
