import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { INDEX_REFRESH_MS } from "../../src/cache/list-lease";
import { api, json } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import {
  copyKeyOf,
  entityObject,
  indexEntry,
  mergePatch,
  newEntity,
  newType,
  put,
  remove,
} from "../support/entities";
import { behindItsBack } from "../support/tamper";

interface Listing {
  items: { id: string; version: number }[];
}

const listed = async (type: string) =>
  (await json<Listing>(await api("GET", `/v1/entities/${type}`))).items.map((i) => i.id);

const version = async (ref: ReturnType<typeof newEntity>) => (await indexEntry(ref))?.v ?? null;

const storedDue = (ref: ReturnType<typeof newEntity>) =>
  runInDurableObject(entityObject(ref), (_, state) => state.storage.kv.get<number>("cacheDueAt"));

describe("the list index", () => {
  it("keeps an idle entity listed after its cached copy has expired", async () => {
    const type = newType();
    const ref = newEntity(type);
    expect((await put(ref, { n: 1 })).status).toBe(201);
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([ref.id]);

    // The copy expires after CACHE_TTL_SECONDS; deleting it plays that expiry without waiting.
    await env.CACHE.delete(copyKeyOf(ref));
    expect(await listed(type)).toEqual([ref.id]);
  });

  it("drops an entity once it is deleted", async () => {
    const type = newType();
    const ref = newEntity(type);
    await put(ref, { n: 1 });
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([ref.id]);
    expect((await api("DELETE", ref.path)).status).toBe(204);
    await expect.poll(() => listed(type), { timeout: 10_000 }).toEqual([]);
  });
});

// What a listing shows besides the version (that an entity lives, until when) follows every commit
// within a second; a version change alone does so only while someone lists the type, and otherwise
// within INDEX_REFRESH_MS, owed in memory by the object (src/objects/entity-copies.ts).
describe("the list index of a type nobody lists", () => {
  it("takes a create, a changed expiry and a delete within a second", async () => {
    const ref = newEntity(newType());
    await put(ref, { n: 1 });
    await expect.poll(() => version(ref)).toBe(1);
    await mergePatch(ref, { n: 2 }, {}, "?ttl=3600");
    await expect.poll(async () => (await indexEntry(ref))?.x ?? null).not.toBeNull();
    expect(await version(ref)).toBe(2);
    expect((await remove(ref)).status).toBe(204);
    await expect.poll(() => indexEntry(ref)).toBeNull();
  });

  it("takes a version change within INDEX_REFRESH_MS, owing it in memory: no row, one alarm", async () => {
    const ref = newEntity(newType());
    const stub = entityObject(ref);
    await put(ref, { n: 1 });
    await expect.poll(() => version(ref)).toBe(1);
    const clock = new ManualClock();
    await useClock(stub, clock);
    for (let n = 2; n <= 4; n++) expect((await mergePatch(ref, { n })).status).toBe(200);

    expect(await storedDue(ref)).toBeUndefined();
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).toBe(clock.now() + INDEX_REFRESH_MS);
    expect(await version(ref)).toBe(1);

    clock.advance(INDEX_REFRESH_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await version(ref)).toBe(4);
    // Nothing is owed any more: the alarm is gone with the debt.
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull();
  });

  it("still takes it when the object restarts before its alarm", async () => {
    const ref = newEntity(newType());
    const stub = entityObject(ref);
    await put(ref, { n: 1 });
    await expect.poll(() => version(ref)).toBe(1);
    await mergePatch(ref, { n: 2 });
    // The debt was in memory only: a new instance finds the newest commit recent and owes it.
    await behindItsBack(stub, () => undefined);
    const clock = new ManualClock(Date.now() + INDEX_REFRESH_MS);
    await useClock(stub, clock);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await version(ref)).toBe(2);
  });

  it("follows a version change within a second once someone lists the type", async () => {
    const type = newType();
    const ref = newEntity(type);
    await put(ref, { n: 1 });
    await expect.poll(() => listed(type)).toEqual([ref.id]);
    await mergePatch(ref, { n: 2 });
    await expect.poll(() => version(ref)).toBe(2);
    expect(await storedDue(ref)).toBeUndefined();
  });
});
