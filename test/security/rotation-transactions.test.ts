// Key rotation reaches what transactions seal: a finished transaction's kept reply (its
// coordinator), and a transaction caught between its verdict and telling it — the coordinator's
// record and the participants' staged versions. After k1 leaves the ring, the reply replays and
// the transaction completes under k2 alone.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { json, unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity, put } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { coordinatorFor, crashAt, ref, transact } from "../support/transactions";
import { fetchWith, ringSecret, sealedKeyIds, setObjectSecret, type VariantCall } from "./support";

// A crash is injected on purpose here, and the failed request logs it:
// captured (each line one JSON object naming its event), not printed over a passing suite.
captureErrorLog();

const tenant = unique("rottx");
const ROTATING = ringSecret("k2", ["k1", "k2"]);
const K2_ONLY = ringSecret("k2", ["k2"]);

/** The README's step 2: the tenant's whole registry, batch by batch, nothing unreached. */
async function walk(call: (method: string, path: string, call: VariantCall) => Promise<Response>) {
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res = await call("POST", `/v1/admin/reencrypt?limit=5${query}`, { tenant });
    expect(res.status, await res.clone().text()).toBe(200);
    const page = await json<{ unreached: unknown[]; cursor: string | null }>(res);
    expect(page.unreached).toEqual([]);
    cursor = page.cursor;
  } while (cursor !== null);
}

describe("rotating k1 → k2 under transactions", () => {
  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", JSON.stringify(TEST_ENCRYPTION_KEYS));
  });

  it("re-seals kept replies, an undelivered verdict and staged versions", async () => {
    const clock = new ManualClock(Date.now() + 3_600_000);
    const done = newEntity("doc", tenant);
    const a = newEntity("doc", tenant);
    const b = newEntity("doc", tenant);
    await put(a, { v: 1 }, { tenant });
    for (const e of [a, b]) await useClock(entityObject(e), clock);
    const finished = unique("key");
    const first = await transact([{ op: "put", ...ref(done), body: { v: 1 } }], {
      tenant,
      headers: { "Idempotency-Key": finished },
    });
    expect(first.status).toBe(200);
    const pending = unique("key");
    await useClock(await coordinatorFor(pending, tenant), clock);
    await crashAt(await coordinatorFor(pending, tenant), "decided");
    const caught = await transact(
      [
        { op: "patch", ...ref(a), patch: { v: 2 } },
        { op: "put", ...ref(b), body: { v: 2 } },
      ],
      { tenant, headers: { "Idempotency-Key": pending } },
    );
    expect(caught.status).toBe(500);
    const objects = [
      await coordinatorFor(finished, tenant),
      await coordinatorFor(pending, tenant),
      entityObject(a),
      entityObject(b),
    ];
    for (const stub of objects) expect(await sealedKeyIds(stub)).toEqual(["k1"]);

    await setObjectSecret("ENCRYPTION_KEYS", ROTATING);
    await walk((method, path, call) => fetchWith({ ENCRYPTION_KEYS: ROTATING }, method, path, call));
    for (const stub of objects) expect(await sealedKeyIds(stub)).toEqual(["k2"]);

    await setObjectSecret("ENCRYPTION_KEYS", K2_ONLY);
    const underK2 = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetchWith({ ENCRYPTION_KEYS: K2_ONLY }, method, path, {
        tenant,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const replay = await underK2(
      "POST",
      "/v1/transactions",
      { operations: [{ op: "put", ...ref(done), body: { v: 1 } }] },
      {
        "Idempotency-Key": finished,
      },
    );
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.text()).toBe(await first.text());
    // The verdict is told under k2 alone: the staged versions open and are stored.
    clock.advance(60_000);
    const coordinator = await coordinatorFor(pending, tenant);
    await useClock(coordinator, clock);
    await runDurableObjectAlarm(coordinator);
    expect(await json(await underK2("GET", `${a.path}`))).toEqual({ v: 2 });
    expect(await json(await underK2("GET", `${b.path}`))).toEqual({ v: 2 });
  });
});
