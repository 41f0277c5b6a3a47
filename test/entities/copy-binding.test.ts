import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import {
  cacheOf,
  copyKeyOf,
  entityObject,
  get,
  kvCopy,
  newEntity,
  put,
  warmAndHit,
} from "../support/entities";

// A KV copy's seal binds its metadata and the end of the lease it was written under
// (src/cache/entity-cache.ts copyContext). Someone who can write the KV namespace, but holds no key,
// can then neither change what a copy says about its document nor serve a copy past its lease:
// each of these reads must go to the object.
const POLL = { timeout: 15_000, interval: 100 };
const eventual = "?consistency=eventual";

describe("a KV copy's metadata and lease are sealed with it", () => {
  it("a copy whose updatedAt was rewritten is not served, from memory or otherwise", async () => {
    const e = newEntity();
    const put1 = await put(e, { a: 1 });
    await warmAndHit(e);
    const copy = (await kvCopy(e))!;
    const forged = { ...copy.meta, u: copy.meta.u - 86_400_000 };
    await env.CACHE.put(copyKeyOf(e), copy.value, { metadata: forged });
    const res = await get(e, {}, eventual);
    expect(cacheOf(res)).toBe("miss");
    expect(res.headers.get("Last-Modified")).toBe(put1.headers.get("Last-Modified"));
    expect(await json(res)).toEqual({ a: 1 });
  });

  it("a copy whose expiresAt was lifted is not served", async () => {
    const e = newEntity();
    await put(e, { a: 1 }, {}, "?ttl=3600");
    await warmAndHit(e);
    const copy = (await kvCopy(e))!;
    expect(copy.meta.x).not.toBeNull();
    await env.CACHE.put(copyKeyOf(e), copy.value, { metadata: { ...copy.meta, x: null } });
    const res = await get(e, {}, eventual);
    expect(cacheOf(res)).toBe("miss");
    expect(res.headers.get("Edgestate-Expires")).toBe(new Date(copy.meta.x!).toISOString());
  });

  it("a copy is not served past the end of the lease it was written under", async () => {
    const e = newEntity();
    // The object's clock an hour behind: the lease it opens on a miss has already ended in real
    // time, while KV still keeps the copy for the lease's length (what a copy put back looks like).
    await useClock(entityObject(e), new ManualClock(Date.now() - 3_600_000));
    await put(e, { a: 1 });
    expect(cacheOf(await get(e, {}, eventual))).toBe("miss");
    await expect.poll(async () => (await kvCopy(e)) !== null, POLL).toBe(true);
    const copy = (await kvCopy(e))!;
    expect((copy.meta as { l?: number }).l).toBeLessThan(Date.now());
    for (let i = 0; i < 3; i++) expect(cacheOf(await get(e, {}, eventual))).toBe("miss");
  });
});
