// A unique value's claim object outlives nothing: from its alarm it asks its owner whether it still
// holds the value, keeps checking (at doubling intervals) while it does, waits while a transaction
// of the owner is undecided, and deletes its storage once the owner says the value is free.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Generation } from "../../src/core/indexes/contract";
import type { JsonValue } from "../../src/core/json/json-value";
import { uniqueKeyStub } from "../../src/objects/unique-key-object";
import {
  type EntityRef,
  entityObject,
  mergePatch,
  newEntity,
  newType,
  put,
  remove,
} from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { buildToEnd, defineIndex } from "../support/indexes";
import { heldByDecidedTransaction, holdOf } from "../support/transactions";

captureErrorLog();

const HOUR = 3_600_000;

async function uniqueType(): Promise<string> {
  const type = newType("uc");
  expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
  await buildToEnd(type, "by-email");
  return type;
}

interface Indexing {
  uniqueGens(): Generation[];
  hashIn(address: EntityRef, gen: Generation, doc: JsonValue): string | null;
}

/** The claim object of `email` in the type's unique index, as the entity `e` names it. */
async function claimObject(e: EntityRef, email: string) {
  const { gen, hash } = await runInDurableObject(entityObject(e), (instance) => {
    const indexing = (instance as unknown as { indexing: Indexing }).indexing;
    const gen = indexing.uniqueGens()[0]!;
    return { gen, hash: indexing.hashIn(e, gen, { email })! };
  });
  return uniqueKeyStub(env, { tenant: e.tenant, type: e.type, gen, hash });
}

type Stored = { owner?: string; check?: { at: number; every: number }; alarm: number | null };
const storedIn = (stub: DurableObjectStub) =>
  runInDurableObject(stub, async (_, state): Promise<Stored> => {
    const owner = state.storage.kv.get<string>("owner");
    const check = state.storage.kv.get<{ at: number; every: number }>("check");
    return {
      ...(owner === undefined ? {} : { owner }),
      ...(check === undefined ? {} : { check: { at: check.at, every: check.every } }),
      alarm: await state.storage.getAlarm(),
    };
  });

describe("a unique value's claim object", () => {
  it("checks on its owner, at doubling intervals while it holds the value, and goes once it does not", async () => {
    const type = await uniqueType();
    const a = newEntity(type);
    const before = Date.now();
    expect((await put(a, { email: "x@example.com" })).status).toBe(201);
    const claim = await claimObject(a, "x@example.com");
    const armed = await storedIn(claim);
    expect(armed.owner).toBe(a.id);
    expect(armed.check?.every).toBe(HOUR);
    expect(armed.alarm).toBe(armed.check?.at);
    expect(armed.alarm).toBeGreaterThanOrEqual(before + HOUR);

    // a still holds it: kept, and asked again in two hours
    expect(await runDurableObjectAlarm(claim)).toBe(true);
    const kept = await storedIn(claim);
    expect(kept.owner).toBe(a.id);
    expect(kept.check?.every).toBe(2 * HOUR);
    expect(kept.alarm).toBe(kept.check?.at);

    // a changes it: the next check deletes everything, alarm included
    expect((await mergePatch(a, { email: "y@example.com" })).status).toBe(200);
    expect(await runDurableObjectAlarm(claim)).toBe(true);
    expect(await storedIn(claim)).toEqual({ alarm: null });

    // the value is free for anyone, and its new holder is checked on again
    const b = newEntity(type);
    expect((await put(b, { email: "x@example.com" })).status).toBe(201);
    expect((await storedIn(claim)).owner).toBe(b.id);
    expect((await put(a, { email: "x@example.com" })).status).toBe(409);
  });

  it("goes after its owner is deleted", async () => {
    const type = await uniqueType();
    const a = newEntity(type);
    expect((await put(a, { email: "gone@example.com" })).status).toBe(201);
    const claim = await claimObject(a, "gone@example.com");
    expect((await remove(a)).status).toBe(204);
    expect(await runDurableObjectAlarm(claim)).toBe(true);
    expect(await storedIn(claim)).toEqual({ alarm: null });
  });

  it("keeps a value a transaction of its owner has staged, and asks again a minute later", async () => {
    const type = await uniqueType();
    const a = newEntity(type);
    const z = newEntity(type);
    expect((await put(a, { email: "a-old@example.com" })).status).toBe(201);
    expect((await put(z, { email: "z-old@example.com" })).status).toBe(201);
    const held = await heldByDecidedTransaction([
      { entity: a, body: { email: "a-new@example.com" } },
      { entity: z, body: { email: "z-new@example.com" } },
    ]);
    expect(await holdOf(a)).not.toBeNull();

    const claim = await claimObject(a, "a-new@example.com");
    const now = Date.now();
    expect(await runDurableObjectAlarm(claim)).toBe(true);
    const waiting = await storedIn(claim);
    expect(waiting.owner).toBe(a.id);
    expect(waiting.check?.every).toBe(HOUR);
    expect(waiting.alarm).toBeGreaterThanOrEqual(now + 60_000);
    expect(waiting.alarm).toBeLessThan(now + 5 * 60_000);

    // the transaction commits: a holds the value, and the claim stays with it
    await held.finish();
    expect(await holdOf(a)).toBeNull();
    expect(await runDurableObjectAlarm(claim)).toBe(true);
    expect((await storedIn(claim)).owner).toBe(a.id);
    expect((await put(newEntity(type), { email: "a-new@example.com" })).status).toBe(409);
  });
});
