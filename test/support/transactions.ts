// Helpers for transaction tests: the two routes, the objects behind a transaction, and the state
// of a participant's hold as its own storage says.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { idempotencyDigests } from "../../src/crypto/idempotency-digests";
import { api, type Call, json } from "./api";
import { ManualClock, useClock } from "./clock";
import { type EntityRef, entityObject } from "./entities";

export type Op = Record<string, unknown> & { op: string; type: string; id: string };

export const transact = (operations: Op[], call: Call = {}) =>
  api("POST", "/v1/transactions", { ...call, body: { operations } });

export const readAll = (items: { type: string; id: string }[], call: Call = {}) =>
  api("POST", "/v1/transactions/get", { ...call, body: { items } });

export interface Results {
  transaction: string;
  results: { type: string; id: string; version: number | null; etag: string | null }[];
}

export interface ReadItems {
  items: { type: string; id: string; version: number | null; body: unknown }[];
}

export async function readItems(items: { type: string; id: string }[], call: Call = {}): Promise<ReadItems> {
  const res = await readAll(items, call);
  if (res.status !== 200) throw new Error(`transactional read: ${res.status} ${await res.text()}`);
  return json<ReadItems>(res);
}

export const ref = (e: EntityRef) => ({ type: e.type, id: e.id });

/** The hold a participant stores while a transaction runs (src/objects/entity-holds.ts), or null. */
export async function holdOf(e: EntityRef): Promise<Record<string, unknown> | null> {
  return runInDurableObject(entityObject(e), async (_instance, state) => {
    return (state.storage.kv.get<Record<string, unknown>>("hold") ?? null) as Record<string, unknown> | null;
  });
}

/** The coordinator of a transaction sent with Idempotency-Key `key` (its name derives from the key). */
export async function coordinatorFor(key: string, tenant = "default") {
  const { key: digest } = await idempotencyDigests("client", key, "");
  return env.TRANSACTIONS.getByName(`${tenant}/key-${digest}`);
}

/** Makes the object crash (ctx.abort) when it reaches `step` (ObjectShell.crashPoint). */
export async function crashAt(stub: DurableObjectStub, step: string): Promise<void> {
  await runInDurableObject(stub, (instance) => {
    (instance as unknown as { crashAt: string | null }).crashAt = step;
  });
}

/**
 * Leaves entities held with staged versions: a transaction of `puts` whose coordinator crashes
 * once it has decided to commit and told no one. `finish` runs the restarted coordinator's alarm,
 * which tells them the verdict. The entities and the coordinator run on one manual clock.
 */
export async function heldByDecidedTransaction(puts: { entity: EntityRef; body: unknown }[]) {
  const clock = new ManualClock(Date.now() + 3_600_000);
  for (const { entity } of puts) await useClock(entityObject(entity), clock);
  const key = `held-${crypto.randomUUID()}`;
  const coordinator = await coordinatorFor(key);
  await useClock(coordinator, clock);
  await crashAt(coordinator, "decided");
  const operations = puts.map(({ entity, body }) => ({ op: "put", ...ref(entity), body }));
  const tx = await transact(operations, { headers: { "Idempotency-Key": key } });
  if (tx.status !== 500) throw new Error(`the coordinator was to crash: ${tx.status} ${await tx.text()}`);
  return {
    finish: async () => {
      clock.advance(60_000);
      const restarted = await coordinatorFor(key);
      await useClock(restarted, clock);
      await runDurableObjectAlarm(restarted);
    },
  };
}
