// A unique index while BUILDING: an existing entity the build has not visited holds no claim yet,
// so a write in that time can give another entity its value, even a new entity's first write. The
// README says so (Unique indexes, Decisions and limits); this holds the behaviour it describes:
// the writer keeps the value, the existing entity becomes the duplicate, and once ACTIVE a query
// by the value shows both.
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { newType, put } from "../support/entities";
import { all, buildToEnd, catalogObject, defineIndex, delivered, statusOf } from "../support/indexes";
import { expectProblem } from "../support/problem";

const ref = (type: string, id: string) => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});

describe("a unique index while BUILDING", () => {
  it("lets a write take the value of an entity the build has not visited; that entity is then the duplicate", async () => {
    const type = newType("ub");
    expect((await put(ref(type, "first"), { email: "x" })).status).toBe(201);
    // The catalog's time runs an hour ahead, so its build waits for buildToEnd's alarms rather
    // than starting on its own before "late" writes.
    await useClock(catalogObject(type), new ManualClock(Date.now() + 3_600_000));
    expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
    expect(await statusOf(type, "by-email")).toBe("BUILDING");
    // Checked, but against the claims made so far: "first" has made none.
    const late = await put(ref(type, "late"), { email: "x" });
    expect(late.status, await late.clone().text()).toBe(201);
    await buildToEnd(type, "by-email");
    await delivered([ref(type, "first"), ref(type, "late")]);
    // The writer kept the claim; the entity that had the value first may no longer keep it.
    const kept = await put(ref(type, "late"), { email: "x", n: 2 });
    expect(kept.status, await kept.clone().text()).toBe(200);
    const refused = await put(ref(type, "first"), { email: "x", n: 2 });
    expect((await expectProblem(refused, 409)).type).toBe("urn:edgestate:problem:unique-violation");
    // Once ACTIVE, a query by the value lists every entity that has it: how to find duplicates.
    expect((await all(type, "by-email", { where: { "/email": "x" } })).map((i) => i.id)).toEqual([
      "first",
      "late",
    ]);
    // From ACTIVE on, every write is checked against every entity.
    expect((await expectProblem(await put(ref(type, "third"), { email: "x" }), 409)).type).toBe(
      "urn:edgestate:problem:unique-violation",
    );
    expect(await json(await put(ref(type, "first"), { email: "y" }))).toEqual({ email: "y" });
  });

  it("checks entities created after the index exists from their first write, before the build has started", async () => {
    const type = newType("ub");
    // The catalog's time runs an hour ahead: its build (announcing, then walking) waits for the
    // alarms run here, as a slow or busy catalog would.
    await useClock(catalogObject(type), new ManualClock(Date.now() + 3_600_000));
    expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
    expect(await statusOf(type, "by-email")).toBe("BUILDING");
    expect((await put(ref(type, "one"), { email: "y" })).status).toBe(201);
    const second = await put(ref(type, "two"), { email: "y" });
    expect((await expectProblem(second, 409)).type).toBe("urn:edgestate:problem:unique-violation");
    await buildToEnd(type, "by-email");
    await delivered([ref(type, "one")]);
    expect((await all(type, "by-email", { where: { "/email": "y" } })).map((i) => i.id)).toEqual(["one"]);
  });
});
