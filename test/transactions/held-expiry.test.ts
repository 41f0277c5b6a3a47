// A transaction decided to commit (a patch with a new TTL) while the entity was live, but its
// participant learns the verdict only later (the coordinator crashed after deciding), when the
// entity's old expiry has passed. In commit order the commit came first: watchers must see
// version 1 then version 2, never "expired" in between, and version 1 stays in the history.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ASK_AFTER_MS } from "../../src/objects/entity-holds";
import { api, json, unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { coordinatorFor, crashAt, ref, transact } from "../support/transactions";
import { watch } from "../watch/support";

captureErrorLog();

/**
 * An entity with a 120 s TTL and a watcher, held by a transaction (patching it with a new TTL)
 * whose coordinator crashes at `step`; then the clock passes the old expiry and the participant's
 * alarm asks for the verdict. Returns what the watcher heard and a read after it.
 */
async function heldPastItsExpiry(step: "decided" | "prepared") {
  const clock = new ManualClock(Date.now());
  const e = newEntity("account");
  const other = newEntity("account");
  await useClock(entityObject(e), clock);
  await useClock(entityObject(other), clock);
  expect((await api("PUT", `${e.path}?ttl=120`, { body: { balance: 100 } })).status).toBe(201);
  expect((await api("PUT", other.path, { body: { balance: 0 } })).status).toBe(201);
  const w = await watch(`${e.path}/watch`);
  expect(await w.next()).toMatchObject({ type: "version", version: 1 });

  const key = unique("key");
  const coordinator = await coordinatorFor(key);
  await useClock(coordinator, clock);
  await crashAt(coordinator, step);
  const res = await transact(
    [
      { op: "patch", ...ref(e), patch: { balance: 90 }, ttl: 3600, ifMatch: '"1"' },
      { op: "patch", ...ref(other), patch: { balance: 10 }, ifMatch: '"1"' },
    ],
    { headers: { "Idempotency-Key": key } },
  );
  expect(res.status).toBe(500);

  // The participant asks after its verdict is overdue; by then the old ttl has run out.
  clock.advance(Math.max(ASK_AFTER_MS, 121_000) + 1);
  await runDurableObjectAlarm(entityObject(e));
  // aborted: the purge it waited for is armed now
  await runDurableObjectAlarm(entityObject(e));
  await new Promise((r) => setTimeout(r, 300));
  const read = await api("GET", e.path);
  w.ws.close(1000);
  return { heard: w.messages.map((m) => m.type), read, e };
}

describe("expiry while a transaction holds the entity", () => {
  it("waits for a commit decided before it: version 1, then version 2, never expired", async () => {
    const { heard, read, e } = await heldPastItsExpiry("decided");
    expect(heard).toEqual(["version", "version"]);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ balance: 90 });
    const history = await api("GET", `${e.path}/history`);
    const { items } = await json<{ items: { version: number }[] }>(history);
    expect(items.map((v) => v.version)).toEqual([2, 1]);
  });

  it("happens once an aborted transaction lets the entity go", async () => {
    const { heard, read } = await heldPastItsExpiry("prepared");
    expect(heard).toEqual(["version", "expired"]);
    expect(read.status).toBe(404);
  });
});
