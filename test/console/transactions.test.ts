// An entity's page says when a transaction holds the document, and which one.
import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity, put } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { coordinatorFor, crashAt, holdOf, ref, transact } from "../support/transactions";
import { page, signIn } from "./support";

// A crash is injected on purpose here, and the failed request logs it:
// captured (each line one JSON object naming its event), not printed over a passing suite.
captureErrorLog();

describe("a held document's page", () => {
  it("shows the transaction holding it, and nothing once it is released", async () => {
    const { cookie } = await signIn();
    const a = newEntity("note");
    const b = newEntity("note");
    await put(a, { v: 1 });
    await put(b, { v: 1 });
    // On a clock an hour ahead, the hold's own alarm does not end it during the test.
    const clock = new ManualClock(Date.now() + 3_600_000);
    for (const e of [a, b]) await useClock(entityObject(e), clock);
    const key = unique("key");
    await useClock(await coordinatorFor(key), clock);
    await crashAt(await coordinatorFor(key), "prepared");
    const ops = [
      { op: "patch", ...ref(a), patch: { v: 2 } },
      { op: "patch", ...ref(b), patch: { v: 2 } },
    ];
    expect((await transact(ops, { headers: { "Idempotency-Key": key } })).status).toBe(500);
    const transaction = (await holdOf(a))!.transaction as string;

    const held = await (await page(`/console/entities/note/${a.id}`, { cookie })).text();
    expect(held).toContain(`Held by transaction ${transaction}.`);
    expect(held).toContain(`held by <code class="held-by">${transaction}</code>`);
    expect(held).toContain("last committed version");

    const free = newEntity("note");
    await put(free, { v: 1 });
    const page2 = await (await page(`/console/entities/note/${free.id}`, { cookie })).text();
    expect(page2).not.toContain("Held by transaction");
    expect(page2).toContain("none holds it");
  });
});
