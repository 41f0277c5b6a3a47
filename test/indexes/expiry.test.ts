import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity, newType, put } from "../support/entities";
import { buildToEnd, defineIndex, delivered, page, shardsOf } from "../support/indexes";

describe("expiry and the index", () => {
  const type = newType("x");
  beforeAll(async () => {
    await defineIndex(type, "by-k", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "by-k");
  });

  it("an expired entity leaves the index when its alarm purges it", async () => {
    const e = newEntity(type);
    await put(e, { k: "exp", n: 1 }, {}, "?ttl=60");
    await delivered([e]);
    expect((await page(type, "by-k", { where: { "/k": "exp" } })).items.map((i) => i.id)).toEqual([e.id]);
    await useClock(entityObject(e), new ManualClock(Date.now() + 61_000));
    expect(await runDurableObjectAlarm(entityObject(e))).toBe(true);
    await delivered([e]);
    expect((await page(type, "by-k", { where: { "/k": "exp" } })).items).toEqual([]);
    // Not only hidden: the entry is gone from the shard's storage.
    const rows = await Promise.all(
      (await shardsOf(type, "by-k")).map((s) =>
        runInDurableObject(
          s,
          (_, state) =>
            state.storage.sql.exec("SELECT COUNT(*) AS n FROM entries WHERE key_hash IS NOT NULL").one().n,
        ).catch(() => 0),
      ),
    );
    expect(rows.reduce((a, b) => Number(a) + Number(b), 0)).toBe(0);
  });

  it("is never served once expired, even before its alarm has run", async () => {
    const e = newEntity(type);
    await put(e, { k: "early", n: 1 }, {}, "?ttl=60");
    await delivered([e]);
    const shards = await shardsOf(type, "by-k");
    const clock = new ManualClock(Date.now() + 61_000);
    for (const shard of shards) await useClock(shard, clock);
    expect((await page(type, "by-k", { where: { "/k": "early" } })).items).toEqual([]);
  });
});
