import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import {
  copyKeyOf,
  entityObject,
  get,
  kvCopy,
  mergePatch,
  newEntity,
  newType,
  put,
  warmCopy,
} from "../support/entities";
import { behindItsBack } from "../support/tamper";

// The object keeps a KV copy only under a lease that an eventual-read miss opens
// (src/objects/copy-lease.ts). These tests move the lease's end with runInDurableObject
// instead of waiting for it.
const leaseOf = (stub: ReturnType<typeof entityObject>) =>
  runInDurableObject(stub, (_, state) => state.storage.kv.get<number>("copyLeaseUntil"));
const setLease = (stub: ReturnType<typeof entityObject>, until: number) =>
  behindItsBack(stub, (state) => state.storage.kv.put("copyLeaseUntil", until));

/** Runs the object's deferred KV write (if one is owed) until `check` holds. */
async function settle(stub: ReturnType<typeof entityObject>, check: () => Promise<boolean>) {
  await expect
    .poll(async () => {
      await runDurableObjectAlarm(stub);
      return check();
    })
    .toBe(true);
}

describe("the KV copy lease", () => {
  it("keeps no copy of an entity nobody reads eventually; the list index still has it", async () => {
    const type = newType();
    const e = newEntity(type);
    await put(e, { a: 1 });
    await mergePatch(e, { b: 2 });
    await expect
      .poll(
        async () =>
          (await json<{ items: { id: string; version: number }[] }>(await api("GET", `/v1/entities/${type}`)))
            .items,
      )
      .toEqual([expect.objectContaining({ id: e.id })]);
    expect(await kvCopy(e)).toBeNull();
    expect(await leaseOf(entityObject(e))).toBeUndefined();
  });

  it("opens on a miss for CACHE_TTL_SECONDS, and commits under it refresh the copy", async () => {
    const e = newEntity();
    await put(e, { n: 1 });
    const before = Date.now();
    await warmCopy(e);
    const until = (await leaseOf(entityObject(e)))!;
    expect(until).toBeGreaterThanOrEqual(before + 300_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 300_000);

    await mergePatch(e, { n: 2 });
    await settle(entityObject(e), async () => (await kvCopy(e))?.meta.v === 2);
    const hit = await get(e, {}, "?consistency=eventual");
    expect(hit.headers.get("Edgestate-Cache")).toBe("hit");
    expect(await json(hit)).toEqual({ n: 2 });
  });

  it("is not extended by another miss while it runs", async () => {
    const e = newEntity();
    await put(e, { n: 1 });
    await warmCopy(e);
    const until = await leaseOf(entityObject(e));
    await env.CACHE.delete(copyKeyOf(e));
    expect((await get(e, {}, "?consistency=eventual")).headers.get("Edgestate-Cache")).toBe("miss");
    expect(await leaseOf(entityObject(e))).toBe(until);
  });

  it("after it ends, a commit deletes the copy instead of refreshing it, and later commits write none", async () => {
    const e = newEntity();
    const stub = entityObject(e);
    await put(e, { n: 1 });
    await warmCopy(e);

    // Ended a moment ago: a copy written under it may live up to 60 s more, so it must go.
    await setLease(stub, Date.now() - 1_000);
    await mergePatch(e, { n: 2 });
    await settle(stub, async () => (await kvCopy(e)) === null);
    expect((await get(e, {}, "?consistency=strong")).status).toBe(200);

    // Long over: no copy can exist any more, and commits leave KV's copy key alone.
    await setLease(stub, Date.now() - 120_000);
    await env.CACHE.put(copyKeyOf(e), "sentinel", { metadata: { v: 0, u: 0, x: null } });
    // Listed, the type's index entries follow each commit within a second (cache/list-lease.ts).
    expect((await api("GET", `/v1/entities/${e.type}`)).status).toBe(200);
    await mergePatch(e, { n: 3 });
    // A copy operation is issued at the commit, the index entry after a lease check: once the
    // index shows v3, a copy write or delete would have been issued too.
    const indexVersion = async () =>
      (await env.CACHE.getWithMetadata<{ v: number }>(`i/${e.tenant}/${e.type}/${e.id}`)).metadata?.v;
    await settle(stub, async () => (await indexVersion()) === 3);
    expect((await kvCopy(e))?.value).toBe("sentinel");
  });
});
