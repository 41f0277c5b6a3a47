// A unique index built while a transaction holds an entity: the staged version was prepared
// before the entity knew the index, so nothing claimed its values. The build's visit claims them,
// so once it commits and the index is ACTIVE, a second entity cannot take the same value.
import { describe, expect, it } from "vitest";
import { newEntity, newType, put, read } from "../support/entities";
import { captureErrorLog } from "../support/error-log";
import { buildToEnd, defineIndex, statusOf } from "../support/indexes";
import { heldByDecidedTransaction, holdOf } from "../support/transactions";

captureErrorLog();

describe("a unique index built over an entity a transaction holds", () => {
  it("never lets two live entities hold one value once ACTIVE", async () => {
    const type = newType("ub");
    const a = newEntity(type);
    const z = newEntity(type);
    expect((await put(a, { email: "old-a" })).status).toBe(201);
    expect((await put(z, { email: "old-z" })).status).toBe(201);
    // decided commit, told no one yet: a and z are held with their staged versions
    const held = await heldByDecidedTransaction([
      { entity: a, body: { email: "x@example.com" } },
      { entity: z, body: { email: "z@example.com" } },
    ]);
    expect(await holdOf(a)).not.toBeNull();

    // the unique index is created and built now; the build visits a while it is held
    expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
    await buildToEnd(type, "by-email");
    expect(await statusOf(type, "by-email")).toBe("ACTIVE");

    // the coordinator's alarm tells the verdict: a now holds x@example.com
    await held.finish();
    expect(await holdOf(a)).toBeNull();
    expect((await read(a)).body).toEqual({ email: "x@example.com" });

    // a write after ACTIVE giving b the same value must be refused
    const b = newEntity(type);
    const res = await put(b, { email: "x@example.com" });
    expect(res.status, await res.text()).toBe(409);
  });
});
