// Crashes at every step of two-phase commit, of the coordinator or of a participant: after
// recovery (alarms, with each object's clock moved past its deadline) the transaction is applied
// everywhere or nowhere, and no entity is left held. Every object of a test runs on one manual
// clock an hour ahead, so no real alarm fires on its own while the test looks at the state a
// crash left.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ASK_AFTER_MS } from "../../src/objects/entity-holds";
import { json, unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { type EntityRef, entityObject, get, mergePatch, newEntity, put, read } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { expectProblem } from "../support/problem";
import {
  coordinatorFor,
  crashAt,
  holdOf,
  type Results,
  readAll,
  ref,
  transact,
} from "../support/transactions";

let clock = new ManualClock();
// The injected crashes fail requests and tellings on purpose, and each logs what failed: captured
// here (every line one JSON object naming its event) instead of printed over a passing suite.
const errorLog = captureErrorLog();
const logged = (event: string) => errorLog.lines().filter((l) => l.event === event).length;

/** Two accounts of 100, on a fresh clock an hour ahead (so is the coordinator of `key`, if given). */
async function accounts(key?: string) {
  clock = new ManualClock(Date.now() + 3_600_000);
  const a = newEntity("account");
  const b = newEntity("account");
  await put(a, { balance: 100 });
  await put(b, { balance: 100 });
  for (const e of [a, b]) await useClock(entityObject(e), clock);
  if (key) await useClock(await coordinatorFor(key), clock);
  return [a, b] as const;
}

const transfer = (a: EntityRef, b: EntityRef) => [
  { op: "patch", ...ref(a), patch: { balance: 90 }, ifMatch: '"1"' },
  { op: "patch", ...ref(b), patch: { balance: 110 }, ifMatch: '"1"' },
];

/** Each participant's alarm runs after its verdict is overdue: it asks the coordinator. */
async function participantsAsk(...entities: EntityRef[]) {
  clock.advance(ASK_AFTER_MS + 1);
  for (const e of entities) {
    // A participant that crashed restarted on the system clock: put it back on the test's.
    await useClock(entityObject(e), clock);
    await runDurableObjectAlarm(entityObject(e));
  }
}

/** The coordinator's alarm tells the verdict again to whoever has not acknowledged it. */
async function coordinatorRetells(key: string) {
  const coordinator = await coordinatorFor(key);
  clock.advance(60_000);
  await useClock(coordinator, clock);
  expect(await runDurableObjectAlarm(coordinator)).toBe(true);
}

async function expectNothingApplied(a: EntityRef, b: EntityRef) {
  expect(await read(a)).toEqual({ status: 200, version: 1, body: { balance: 100 } });
  expect(await read(b)).toEqual({ status: 200, version: 1, body: { balance: 100 } });
  expect(await holdOf(a)).toBeNull();
  expect(await holdOf(b)).toBeNull();
}

async function expectAllApplied(a: EntityRef, b: EntityRef) {
  expect(await read(a)).toEqual({ status: 200, version: 2, body: { balance: 90 } });
  expect(await read(b)).toEqual({ status: 200, version: 2, body: { balance: 110 } });
  expect(await holdOf(a)).toBeNull();
  expect(await holdOf(b)).toBeNull();
}

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

describe("the coordinator crashes", () => {
  for (const step of ["prepare-sent", "prepared"]) {
    it(`at ${step}: nothing is applied, the holds end when participants ask, and a retry applies once`, async () => {
      const key = unique("key");
      const [a, b] = await accounts(key);
      await crashAt(await coordinatorFor(key), step);
      expect((await transact(transfer(a, b), keyed(key))).status).toBe(500);
      await participantsAsk(a, b);
      await expectNothingApplied(a, b);
      const retried = await transact(transfer(a, b), keyed(key));
      expect(retried.status).toBe(200);
      await expectAllApplied(a, b);
    });
  }

  it("at decided: the coordinator's alarm applies it everywhere; a retry replays the reply", async () => {
    const key = unique("key");
    const [a, b] = await accounts(key);
    await crashAt(await coordinatorFor(key), "decided");
    expect((await transact(transfer(a, b), keyed(key))).status).toBe(500);
    // Decided, told no one: both still show the committed version, both are held.
    expect((await read(a)).version).toBe(1);
    expect(await holdOf(b)).not.toBeNull();
    await coordinatorRetells(key);
    await expectAllApplied(a, b);
    const replay = await transact(transfer(a, b), keyed(key));
    expect(replay.status).toBe(200);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await json<Results>(replay)).results.map((r) => r.version)).toEqual([2, 2]);
    expect((await read(a)).version).toBe(2);
  });

  it("at decided: participants asking learn the commit without the coordinator's alarm", async () => {
    const key = unique("key");
    const [a, b] = await accounts(key);
    await crashAt(await coordinatorFor(key), "decided");
    expect((await transact(transfer(a, b), keyed(key))).status).toBe(500);
    await participantsAsk(a, b);
    await expectAllApplied(a, b);
  });

  it("half committed: reads never show one side; the alarm finishes the other", async () => {
    const key = unique("key");
    const [a, b] = await accounts(key);
    await crashAt(await coordinatorFor(key), "half-committed");
    expect((await transact(transfer(a, b), keyed(key))).status).toBe(500);
    const applied = [await read(a), await read(b)].filter((r) => r.version === 2);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    if (applied.length === 1) {
      // One side applied, the other held: a transactional read waits, then refuses, never mixes.
      const res = await readAll([ref(a), ref(b)]);
      expect((await expectProblem(res, 409)).type).toBe("urn:edgestate:problem:transaction-conflict");
    }
    await coordinatorRetells(key);
    await expectAllApplied(a, b);
  });
});

describe("a participant crashes", () => {
  for (const step of ["prepare", "prepared"]) {
    it(`at ${step}: the transaction aborts at once (503) and nothing is held`, async () => {
      const [a, b] = await accounts();
      await crashAt(entityObject(b), step);
      const res = await transact(transfer(a, b));
      const problem = await expectProblem(res, 503);
      expect(res.headers.get("Retry-After")).toBe("1");
      expect(problem.failures?.map((f) => f.index)).toEqual([1]);
      await expectNothingApplied(a, b);
    });
  }

  it("while committing: the reply is 200, and its alarm applies it after the restart", async () => {
    const key = unique("key");
    const [a, b] = await accounts(key);
    await crashAt(entityObject(b), "commit");
    const res = await transact(transfer(a, b), keyed(key));
    expect(res.status).toBe(200);
    const { transaction } = await json<Results>(res);
    // Half committed: a applied, b held with the last committed version showing.
    expect((await read(a)).version).toBe(2);
    const held = await get(b);
    expect(held.headers.get("Edgestate-Version")).toBe("1");
    expect(held.headers.get("Edgestate-Held-By")).toBe(transaction);
    // A transactional read never shows one side without the other.
    const mixed = await readAll([ref(a), ref(b)]);
    expect((await expectProblem(mixed, 409)).type).toBe("urn:edgestate:problem:transaction-conflict");
    // A single write waits for the verdict, then is refused; it changes nothing.
    const write = await mergePatch(b, { balance: 0 });
    expect(write.headers.get("Retry-After")).toBe("1");
    expect((await expectProblem(write, 409)).type).toBe("urn:edgestate:problem:transaction-conflict");
    await participantsAsk(b);
    await expectAllApplied(a, b);
    expect(logged("transaction_tell_failed")).toBeGreaterThan(0);
  });

  it("while committing, with the coordinator's alarm telling it again", async () => {
    const key = unique("key");
    const [a, b] = await accounts(key);
    await crashAt(entityObject(b), "commit");
    expect((await transact(transfer(a, b), keyed(key))).status).toBe(200);
    await coordinatorRetells(key);
    await expectAllApplied(a, b);
    expect(logged("transaction_tell_failed")).toBeGreaterThan(0);
  });
});

describe("a transaction meeting a crashed one's holds", () => {
  it("is refused with transaction-conflict, not kept under its key, and goes through once they end", async () => {
    const stuck = unique("key");
    const [a, b] = await accounts(stuck);
    await crashAt(await coordinatorFor(stuck), "prepared");
    expect((await transact(transfer(a, b), keyed(stuck))).status).toBe(500);
    const key = unique("key");
    const ops = [{ op: "patch", ...ref(a), patch: { balance: 1 } }];
    const refused = await transact(ops, keyed(key));
    expect(refused.headers.get("Retry-After")).toBe("1");
    const problem = await expectProblem(refused, 409);
    expect(problem.type).toBe("urn:edgestate:problem:transaction-conflict");
    expect(problem.failures?.map((f) => [f.index, f.code])).toEqual([[0, "transaction-conflict"]]);
    await participantsAsk(a, b);
    const retried = await transact(ops, keyed(key));
    expect(retried.status).toBe(200);
    expect(retried.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await read(a)).toEqual({ status: 200, version: 2, body: { balance: 1 } });
  });
});
