import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { newType, put } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered, describeIndex, page } from "../support/indexes";

describe("an index over a type", () => {
  it("is BUILDING when created, then ACTIVE, and finds entities by key in sort order", async () => {
    const type = newType("o");
    const res = await defineIndex(type, "by-customer", { keys: ["/customer"], sort: "/createdAt" });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({
      type,
      index: "by-customer",
      status: "BUILDING",
      sort: "/createdAt",
    });
    await buildToEnd(type, "by-customer");
    const refs = [];
    for (const [id, customer, createdAt] of [
      ["o1", "c-42", "2026-03-01"],
      ["o2", "c-42", "2026-01-01"],
      ["o3", "c-7", "2026-02-01"],
      ["o4", "c-42", "2026-02-01"],
    ] as const) {
      const ref = { tenant: "default", type, id, path: `/v1/entities/${type}/${id}` };
      expect((await put(ref, { customer, createdAt })).status).toBe(201);
      refs.push(ref);
    }
    await delivered(refs);
    const items = await all(type, "by-customer", { where: { "/customer": "c-42" } });
    expect(items.map((i) => i.id)).toEqual(["o2", "o4", "o1"]);
    const desc = await page(type, "by-customer", {
      where: { "/customer": "c-42" },
      order: "desc",
      limit: 2,
      include: "documents",
    });
    expect(desc.items.map((i) => [i.id, i.sort, i.body])).toEqual([
      ["o1", "2026-03-01", { customer: "c-42", createdAt: "2026-03-01" }],
      ["o4", "2026-02-01", { customer: "c-42", createdAt: "2026-02-01" }],
    ]);
    expect(desc.cursor).not.toBeNull();
    const detail = await json<{ entries: number }>(await describeIndex(type, "by-customer"));
    expect(detail.entries).toBe(4);
  });
});
