// Every committed write reaches the index, in version order, whatever fails when: a delivery that
// fails is retried with backoff until it lands, a crash between the commit and its delivery is
// made good by the alarm, and a change that arrives twice or late never moves an entry backwards.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { retryDelay, type Transport } from "../../src/objects/shell/outbox";
import { api } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, mergePatch, newEntity, newType, put, read } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { all, buildToEnd, defineIndex, delivered, page, shardsOf } from "../support/indexes";

// Deliveries fail on purpose here, and each failure logs outbox_delivery_failed:
// captured (each line one JSON object naming its event), not printed over a passing suite.
captureErrorLog();

type WithOutbox = { outbox: { transport: Transport; pending(): number } };
const outboxOf = (instance: unknown) => (instance as WithOutbox).outbox;
const pendingRows = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (instance) => outboxOf(instance).pending());
const ids = async (type: string, k: string) =>
  (await page(type, "by-k", { where: { "/k": k } })).items.map((i) => [i.id, i.version]);

describe("delivery of index entries", () => {
  const type = newType("d");
  beforeAll(async () => {
    await defineIndex(type, "by-k", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "by-k");
  });

  it("retries a failing delivery with backoff until the shard takes it", async () => {
    const e = newEntity(type);
    const stub = entityObject(e);
    // Ten minutes ahead, so the retries fall due only when this test moves the clock.
    const clock = new ManualClock(Date.now() + 600_000);
    await useClock(stub, clock);
    let failures = 0;
    await runInDurableObject(stub, (instance) => {
      const outbox = outboxOf(instance);
      const real = outbox.transport;
      outbox.transport = async (topic, rows) => {
        if (failures < 3) {
          failures++;
          throw new Error("shard unreachable");
        }
        return real(topic, rows);
      };
    });
    expect((await put(e, { k: "retry", n: 1 })).status).toBe(201);
    await expect.poll(() => failures).toBe(1);
    expect(await ids(type, "retry")).toEqual([]);
    expect(await pendingRows(stub)).toBe(1);
    for (let attempt = 1; attempt <= 3; attempt++) {
      // Not due yet: the alarm delivers nothing before the backoff has passed.
      await runDurableObjectAlarm(stub);
      expect(failures).toBe(attempt);
      clock.advance(retryDelay(attempt));
      await runDurableObjectAlarm(stub);
    }
    expect(failures).toBe(3);
    expect(await pendingRows(stub)).toBe(0);
    expect(await ids(type, "retry")).toEqual([[e.id, 1]]);
  });

  it("owes the delivery durably from the commit on: row and alarm are stored before anything is delivered", async () => {
    const e = newEntity(type);
    const stub = entityObject(e);
    await put(e, { k: "owed", n: 0 });
    await delivered([e]);
    let cut: (e: Error) => void = () => {};
    await runInDurableObject(stub, (instance) => {
      // The delivery hangs until the test cuts it, as a crash would.
      outboxOf(instance).transport = () => new Promise((_, reject) => (cut = reject));
    });
    expect((await put(e, { k: "owed", n: 1 })).status).toBe(200);
    expect(await pendingRows(stub)).toBe(1);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await ids(type, "owed")).toEqual([[e.id, 1]]);
    // Inside the object: its promises can only be settled from its own context.
    await runInDurableObject(stub, () => cut(new Error("the object went away")));
    await evictDurableObject(stub);
    await useClock(stub, new ManualClock(Date.now() + retryDelay(1)));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await pendingRows(stub)).toBe(0);
    expect(await ids(type, "owed")).toEqual([[e.id, 2]]);
  });

  it("indexes a write whose delivery failed before its object was evicted", async () => {
    const e = newEntity(type);
    const stub = entityObject(e);
    await runInDurableObject(stub, (instance) => {
      outboxOf(instance).transport = async () => {
        throw new Error("connection lost");
      };
    });
    expect((await put(e, { k: "evicted", n: 1 })).status).toBe(201);
    await expect
      .poll(() =>
        runInDurableObject(
          stub,
          (_, state) =>
            state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox_retry").one().n,
        ),
      )
      .toBe(1);
    await evictDurableObject(stub);
    // The new instance has only what storage kept: the row, its backoff, the alarm.
    await useClock(stub, new ManualClock(Date.now() + retryDelay(1)));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await pendingRows(stub)).toBe(0);
    expect(await ids(type, "evicted")).toEqual([[e.id, 1]]);
  });

  it("keeps delivering in order while a burst moves the entry between shards", async () => {
    const e = newEntity(type);
    const keys = ["m-a", "m-b", "m-c"];
    await put(e, { k: keys[0], n: 0 });
    const writes = Array.from({ length: 24 }, (_, i) => mergePatch(e, { k: keys[i % 3], n: i + 1 }));
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await delivered([e]);
    const last = await read(e);
    const finalKey = (last.body as { k: string }).k;
    for (const k of keys) expect(await ids(type, k)).toEqual(k === finalKey ? [[e.id, last.version]] : []);
    // One live row across every shard: moved entries left tombstones, not copies.
    const live = await Promise.all(
      (await shardsOf(type, "by-k")).map((s) =>
        runInDurableObject(s, (_, state) => {
          const found = state.storage.sql
            .exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'entries'")
            .one().n;
          if (!found) return 0;
          return state.storage.sql
            .exec<{ n: number }>(
              "SELECT COUNT(*) AS n FROM entries WHERE id = ? AND key_hash IS NOT NULL",
              e.id,
            )
            .one().n;
        }),
      ),
    );
    expect(live.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("applies each change once, and a late or repeated one never moves an entry backwards", async () => {
    const shard = env.INDEX_SHARDS.getByName("default/late/by-k/g0/0");
    const entry = (version: number, sort: number) => ({
      keyHash: new Uint8Array(16).fill(7),
      sort: Uint8Array.of(4, 0x80 + sort, 0, 0, 0, 0, 0, 0, 0),
      version,
      updatedAt: version,
      expiresAt: null,
      body: `sealed-${version}`,
    });
    const q = { keyHash: new Uint8Array(16).fill(7), order: "asc" as const, limit: 10, bodies: true };
    expect(await shard.apply([{ id: "e1", rank: 4, entry: entry(2, 2) }])).toBe("applied");
    await shard.apply([{ id: "e1", rank: 2, entry: entry(1, 1) }]);
    await shard.apply([{ id: "e1", rank: 4, entry: entry(2, 2) }]);
    let found = await shard.query(q);
    expect(found.retired ? [] : found.items.map((i) => [i.id, i.version, i.body])).toEqual([
      ["e1", 2, "sealed-2"],
    ]);
    // A removal at version 2 (an expiry keeps the version) beats the entry of version 2.
    await shard.apply([{ id: "e1", rank: 5, entry: null }]);
    await shard.apply([{ id: "e1", rank: 4, entry: entry(2, 2) }]);
    found = await shard.query(q);
    expect(found.retired ? null : found.items).toEqual([]);
    await shard.apply([{ id: "e1", rank: 6, entry: entry(3, 3) }]);
    found = await shard.query(q);
    expect(found.retired ? [] : found.items.map((i) => i.version)).toEqual([3]);
  });

  it("tells entities of a retired generation to stop, and they forget it", async () => {
    const own = newType("r");
    await defineIndex(own, "gone", { keys: ["/k"] });
    await buildToEnd(own, "gone");
    const e = newEntity(own);
    await put(e, { k: 1 });
    await delivered([e]);
    expect((await all(own, "gone", { where: { "/k": 1 } })).length).toBe(1);
    const shards = await shardsOf(own, "gone");
    expect((await api("DELETE", `/v1/indexes/${own}/gone`)).status).toBe(204);
    for (const s of shards)
      await runInDurableObject(s, async (instance) =>
        (instance as unknown as { retire(): Promise<void> }).retire(),
      );
    await put(e, { k: 2 });
    await delivered([e]);
    expect(await pendingRows(entityObject(e))).toBe(0);
    const known = await runInDurableObject(entityObject(e), (_, state) =>
      state.storage.kv.get<{ gens: unknown[] }>("indexes"),
    );
    expect(known?.gens).toEqual([]);
  });
});
