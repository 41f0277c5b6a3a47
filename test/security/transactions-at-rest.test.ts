// Encryption at rest covers what a transaction leaves behind while it runs: the versions staged by
// its participants and the coordinator's record of who is owed the verdict, and its reply.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity, put } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { coordinatorFor, crashAt, ref, transact } from "../support/transactions";
import { dumpObjectStorage } from "./support";

// A crash is injected on purpose here, and the failed request logs it:
// captured (each line one JSON object naming its event), not printed over a passing suite.
captureErrorLog();

const SEALED = /^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

describe("transactions at rest", () => {
  it("hold no plaintext of staged versions, participants or replies", async () => {
    const tenant = unique("txrest");
    const marker = `MARKER-${crypto.randomUUID()}`;
    const clock = new ManualClock(Date.now() + 3_600_000);
    const a = newEntity("secret", tenant);
    const b = newEntity("secret", tenant);
    await put(a, { note: "before" }, { tenant });
    for (const e of [a, b]) await useClock(entityObject(e), clock);
    const key = unique("key");
    const crashing = await coordinatorFor(key, tenant);
    await useClock(crashing, clock);
    await crashAt(crashing, "decided");
    const res = await transact(
      [
        { op: "patch", ...ref(a), patch: { note: marker } },
        { op: "put", ...ref(b), body: { list: [marker, { deep: marker }] } },
      ],
      { tenant, headers: { "Idempotency-Key": key } },
    );
    expect(res.status).toBe(500);
    // A stub that saw its object crash is spent: the restarted object is reached through a new one.
    const coordinator = await coordinatorFor(key, tenant);

    // Decided, told no one: both participants hold their staged version, the coordinator its record.
    const participants = await Promise.all([a, b].map((e) => dumpObjectStorage(entityObject(e))));
    const record = await dumpObjectStorage(coordinator);
    const everything = JSON.stringify({ participants, record });
    expect(everything).not.toContain(marker);
    expect(everything).not.toContain("MARKER");
    for (const dump of participants) {
      const hold = dump.kv.find(([k]) => k === "hold")?.[1] as { staged: { body: string } };
      expect(hold.staged.body).toMatch(SEALED);
    }
    const attempts = record.kv
      .filter(([k]) => k.startsWith("attempt/"))
      .map(([, v]) => v as { participants: string });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.participants).toMatch(SEALED);
    expect(record.tables.idempotency![0]!.reply).toMatch(SEALED);

    // Told and done: the versions are sealed as any other, and only the sealed reply stays.
    clock.advance(60_000);
    await useClock(coordinator, clock);
    await runDurableObjectAlarm(coordinator);
    const after = await dumpObjectStorage(coordinator);
    expect(after.kv.filter(([k]) => k.startsWith("attempt/"))).toEqual([]);
    expect(JSON.stringify(after)).not.toContain(marker);
    const applied = await dumpObjectStorage(entityObject(b));
    expect(applied.tables.versions![0]!.body).toMatch(SEALED);
    expect(JSON.stringify(applied)).not.toContain(marker);
  });
});
