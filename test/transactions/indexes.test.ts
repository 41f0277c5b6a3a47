import { describe, expect, it } from "vitest";
import { newType } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered } from "../support/indexes";
import { transact } from "../support/transactions";

describe("a transaction and the type's indexes", () => {
  it("reaches the index with every committed operation, and with nothing of a canceled one", async () => {
    const type = newType("o");
    expect((await defineIndex(type, "by-customer", { keys: ["/customer"] })).status).toBe(201);
    await buildToEnd(type, "by-customer");
    const refs = ["a", "b", "c"].map((id) => ({
      tenant: "default",
      type,
      id,
      path: `/v1/entities/${type}/${id}`,
    }));
    const canceled = await transact([
      { op: "put", type, id: "a", body: { customer: "c-1" } },
      { op: "patch", type, id: "b", patch: { customer: "c-1" }, ifMatch: '"9"' },
    ]);
    expect(canceled.status).toBe(409);
    const applied = await transact([
      { op: "put", type, id: "a", body: { customer: "c-1" } },
      { op: "put", type, id: "b", body: { customer: "c-1" } },
      { op: "put", type, id: "c", body: { customer: "c-2" } },
    ]);
    expect(applied.status).toBe(200);
    await delivered(refs);
    const ids = async (customer: string) =>
      (await all(type, "by-customer", { where: { "/customer": customer } })).map((i) => i.id);
    expect(await ids("c-1")).toEqual(["a", "b"]);
    // A transaction moving b to another customer and deleting c: the index follows both.
    const moved = await transact([
      { op: "patch", type, id: "b", patch: { customer: "c-2" } },
      { op: "delete", type, id: "c" },
    ]);
    expect(moved.status).toBe(200);
    await delivered(refs);
    expect(await ids("c-1")).toEqual(["a"]);
    expect(await ids("c-2")).toEqual(["b"]);
  });
});
