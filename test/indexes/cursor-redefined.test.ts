// A cursor is bound to its index and order (README, Paging). An index dropped and defined again
// under its name may sort by another field, where the old position means nothing: a cursor from
// before was taken and silently restarted the paging (numbers sort before strings) or skipped
// entries. It is a 400 naming /cursor now; one from the same definition again still pages on.
import { describe, expect, it } from "vitest";
import { api } from "../support/api";
import { newType, put } from "../support/entities";
import { buildToEnd, defineIndex, delivered, page, query } from "../support/indexes";
import { expectProblem } from "../support/problem";

const ref = (type: string, id: string) => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});

describe("a cursor after its index was dropped and defined again", () => {
  it("is refused when the index sorts by another field now, and pages on when it sorts as before", async () => {
    const type = newType("cr");
    const refs = ["a", "b", "c", "d"].map((id) => ref(type, id));
    for (const [i, r] of refs.entries()) await put(r, { g: 1, n: i, name: `z${3 - i}` });
    expect((await defineIndex(type, "by", { keys: ["/g"], sort: "/n" })).status).toBe(201);
    await buildToEnd(type, "by");
    await delivered(refs);
    const first = await page(type, "by", { where: { "/g": 1 }, limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual(["a", "b"]);

    expect((await api("DELETE", `/v1/indexes/${type}/by`)).status).toBe(204);
    expect((await defineIndex(type, "by", { keys: ["/g"], sort: "/name" })).status).toBe(201);
    await buildToEnd(type, "by");
    const stale = await query(type, "by", { where: { "/g": 1 }, limit: 2, cursor: first.cursor });
    const problem = await expectProblem(stale, 400);
    expect(problem.errors?.map((e) => e.pointer)).toEqual(["/cursor"]);

    // The same definition again: the position means what it meant, so paging goes on.
    expect((await api("DELETE", `/v1/indexes/${type}/by`)).status).toBe(204);
    expect((await defineIndex(type, "by", { keys: ["/g"], sort: "/n" })).status).toBe(201);
    await buildToEnd(type, "by");
    const next = await page(type, "by", { where: { "/g": 1 }, limit: 2, cursor: first.cursor });
    expect(next.items.map((i) => i.id)).toEqual(["c", "d"]);
  });
});
