// An index shard keeps, per entry, the sort value (as long as a document allows) and the sealed
// document copy. With MAX_BODY_BYTES at its largest (1 MiB), a document whose sort field is
// 700 KB made a 2.1 MB row (1.4 MB sealed copy beside 0.7 MB of sort value), over the 2 MB row a
// Durable Object accepts in production (workerd here enforces no limit).
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWith, setObjectSecret } from "../security/support";
import { newEntity, newType } from "../support/entities";
import { buildToEnd, defineIndex, delivered, page, shardsOf } from "../support/indexes";
import { expectWithinStorageLimits } from "../support/storage-limits";

const LARGEST = "1048576";
let previous = "";

/** Document copies a shard keeps (none in a shard that never had an entry). */
function storedCopies(state: DurableObjectState): number {
  const sql = state.storage.sql;
  const has = sql
    .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'entry_bodies'")
    .one().n;
  return has ? sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM entry_bodies").one().n : 0;
}

describe("index entries and their document copies", () => {
  beforeAll(async () => {
    previous = await setObjectSecret("MAX_BODY_BYTES", LARGEST);
  });
  afterAll(async () => {
    await setObjectSecret("MAX_BODY_BYTES", previous);
  });

  it("a 1 MiB document with a 700 KB sort value is stored within the limits, queried whole, removed whole", async () => {
    const type = newType("big");
    expect((await defineIndex(type, "by-k", { keys: ["/k"], sort: "/s" })).status).toBe(201);
    await buildToEnd(type, "by-k");
    const e = newEntity(type);
    const doc = { k: "big", s: "a".repeat(700_000), p: "b".repeat(340_000) };
    const put = await fetchWith({ MAX_BODY_BYTES: LARGEST }, "PUT", e.path, { body: JSON.stringify(doc) });
    expect(put.status, await put.clone().text()).toBe(201);
    await delivered([e]);
    const shards = await shardsOf(type, "by-k");
    for (const shard of shards) await expectWithinStorageLimits(shard);
    const found = await page(type, "by-k", { where: { "/k": "big" }, include: "documents" });
    expect(found.items.map((i) => [i.id, i.sort, i.body])).toEqual([[e.id, doc.s, doc]]);
    const small = await fetchWith({ MAX_BODY_BYTES: LARGEST }, "PUT", e.path, {
      body: '{"k":"big","s":"z"}',
    });
    expect(small.status).toBe(200);
    await delivered([e]);
    const after = await page(type, "by-k", { where: { "/k": "big" }, include: "documents" });
    expect(after.items.map((i) => i.body)).toEqual([{ k: "big", s: "z" }]);
    for (const shard of shards) await expectWithinStorageLimits(shard);
    // A removal takes the copy with it: the tombstone keeps no document.
    expect((await fetchWith({}, "DELETE", e.path)).status).toBe(204);
    await delivered([e]);
    expect(await page(type, "by-k", { where: { "/k": "big" } })).toEqual({ items: [], cursor: null });
    const copies = await Promise.all(
      shards.map((s) => runInDurableObject(s, (_, state) => storedCopies(state))),
    );
    expect(copies.reduce((a, b) => a + b, 0)).toBe(0);
  }, 60_000);

  it("a shard that kept copies in its entries' rows (before entry_bodies) moves them and serves them", async () => {
    const type = newType("old");
    expect((await defineIndex(type, "by-k", { keys: ["/k"], sort: "/s" })).status).toBe(201);
    await buildToEnd(type, "by-k");
    const e = newEntity(type);
    const doc = { k: "old", s: "m" };
    expect((await fetchWith({}, "PUT", e.path, { body: JSON.stringify(doc) })).status).toBe(201);
    await delivered([e]);
    let moved = 0;
    for (const shard of await shardsOf(type, "by-k")) {
      const had = await runInDurableObject(shard, (_, state) => {
        if (storedCopies(state) === 0) return false;
        state.storage.sql.exec(`ALTER TABLE entries ADD COLUMN body TEXT;
          UPDATE entries SET body = (SELECT body FROM entry_bodies WHERE entry_bodies.id = entries.id);
          DROP TABLE entry_bodies;
          DELETE FROM _migrations WHERE version >= 2`);
        return true;
      });
      if (!had) continue;
      moved++;
      await evictDurableObject(shard);
      const found = await page(type, "by-k", { where: { "/k": "old" }, include: "documents" });
      expect(found.items.map((i) => [i.id, i.body])).toEqual([[e.id, doc]]);
      expect(await runInDurableObject(shard, (_, state) => storedCopies(state))).toBe(1);
    }
    expect(moved).toBe(1);
  });
});
