// An entity whose first write registers it and is then refused (here by a unique index) is in the
// registry but has stored no identity. A build that ran next used to skip it ("never committed"),
// and its next write reuses the registration made before the new index existed, so it never learns
// the new index: an ACTIVE index would miss a matching entity for good. The build's visit now
// teaches it the generations even before its first commit.
import { describe, expect, it } from "vitest";
import { newEntity, newType, put, read } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered } from "../support/indexes";

/** A type with a unique index, and an entity `e` whose first write was refused by it. */
async function refusedFirstWrite() {
  const type = newType("ir");
  expect((await defineIndex(type, "by-email", { keys: ["/email"], unique: true })).status).toBe(201);
  await buildToEnd(type, "by-email");
  expect((await put(newEntity(type), { email: "x@example.com" })).status).toBe(201);
  const e = newEntity(type);
  // e's first write: it registers, claims, and is refused
  expect((await put(e, { email: "x@example.com" })).status).toBe(409);
  return { type, e };
}

describe("an index built after an entity's refused first write", () => {
  it("has the entity once it is written", async () => {
    const { type, e } = await refusedFirstWrite();

    // a new index over the type, built to the end (ACTIVE)
    expect((await defineIndex(type, "by-k", { keys: ["/k"] })).status).toBe(201);
    await buildToEnd(type, "by-k");

    // e is written now, after the index is ACTIVE
    expect((await put(e, { email: "e@example.com", k: "find-me" })).status).toBe(201);
    expect((await read(e)).status).toBe(200);
    await delivered([e]);
    const found = (await all(type, "by-k", { where: { "/k": "find-me" } })).map((i) => i.id);
    expect(found).toEqual([e.id]);
  });

  it("enforces a unique index built meanwhile", async () => {
    const { type, e } = await refusedFirstWrite();
    expect((await defineIndex(type, "by-handle", { keys: ["/handle"], unique: true })).status).toBe(201);
    await buildToEnd(type, "by-handle");
    const h = newEntity(type);
    expect((await put(h, { handle: "ada" })).status).toBe(201);
    // e takes a handle h holds: must be refused
    const res = await put(e, { email: "e@example.com", handle: "ada" });
    expect(res.status, await res.text()).toBe(409);
  });
});
