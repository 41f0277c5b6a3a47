// A slow copy write (a large document: seal, then a ~350 KB KV put) started for an older commit
// must not land after the write of a newer one: the paced writer (src/objects/shell/
// paced-kv-writer.ts) runs one write after another, each taking what is current when it runs, so
// the last to land is the newest. Before, KV kept the older copy, or a deleted entity's, until
// the copy lease ended. The ManualClock stands in for a KV put that takes longer than a second.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import {
  cacheOf,
  type EntityRef,
  entityObject,
  get,
  kvCopy,
  newEntity,
  put,
  remove,
  warmCopy,
} from "../support/entities";

const big = () => ({ blob: "x".repeat(250_000) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function warmed(): Promise<{ e: EntityRef; clock: ManualClock }> {
  const e = newEntity();
  const clock = new ManualClock();
  await put(e, { small: 1 });
  await useClock(entityObject(e), clock);
  await warmCopy(e);
  return { e, clock };
}

async function settleAll(es: EntityRef[]) {
  await sleep(2_000);
  for (const e of es) await runDurableObjectAlarm(entityObject(e));
  await sleep(500);
}

describe("KV copy writes overtaken by a newer commit's write", () => {
  it("a deleted entity is not served again by the slow copy write of the version before the delete", async () => {
    const all = await Promise.all(Array.from({ length: 6 }, warmed));
    for (const { e, clock } of all) {
      clock.advance(1_500);
      // large PUT under the lease: its copy write goes out at once (waitUntil)
      expect((await put(e, big())).status).toBe(200);
      clock.advance(1_500);
      // the delete's copy delete also goes out at once, and lands first
      expect((await remove(e)).status).toBe(204);
    }
    await settleAll(all.map((a) => a.e));
    const served = [];
    for (const { e } of all) {
      const res = await get(e, {}, "?consistency=eventual");
      served.push({
        id: e.id,
        status: res.status,
        cache: cacheOf(res),
        kv: (await kvCopy(e))?.meta.v ?? null,
      });
    }
    // should: every eventual read 404 (no copy of deleted data); got: 200 hit, ETag "2", the deleted document
    expect(served.filter((s) => s.status !== 404 || s.kv !== null)).toEqual([]);
  });

  it("a burst converges on the latest version, even after a slow copy write of an older one", async () => {
    const all = await Promise.all(Array.from({ length: 6 }, warmed));
    for (const { e, clock } of all) {
      clock.advance(1_500);
      expect((await put(e, big())).status).toBe(200); // v2, large: its copy write goes out at once
      clock.advance(1_500);
      expect((await put(e, { small: 3 })).status).toBe(200); // v3: its copy write lands first
    }
    await settleAll(all.map((a) => a.e));
    const stale = [];
    for (const { e } of all) {
      const res = await get(e, {}, "?consistency=eventual");
      const etag = res.headers.get("ETag");
      await json(res);
      if (etag !== '"3"') stale.push({ id: e.id, etag, cache: cacheOf(res) });
    }
    // should: "3" everywhere once the writes settled; got: "2" from KV
    expect(stale).toEqual([]);
  });
});
