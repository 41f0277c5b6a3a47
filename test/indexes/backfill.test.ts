// Creating an index over a type that already has entities builds it over them: BUILDING (queries
// refused with 409) until every existing entity is indexed, then ACTIVE — and writes made while the
// build runs (updates that move entries, deletes, new entities) are not lost.
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { type EntityRef, mergePatch, newType, put, remove } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered, describeIndex, query, statusOf } from "../support/indexes";
import { pool } from "../support/pool";
import { expectProblem } from "../support/problem";

const ref = (type: string, id: string): EntityRef => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});

describe("backfill", () => {
  it("indexes the 1,000 entities a type had, and every write made during the build", async () => {
    const type = newType("b");
    const model = new Map<string, { g: string; n: number }>();
    const refs = Array.from({ length: 1000 }, (_, i) => ref(type, `e${String(i).padStart(4, "0")}`));
    await pool(refs.length, 16, async (i) => {
      const doc = { g: `g${i % 10}`, n: i };
      expect((await put(refs[i]!, doc)).status).toBe(201);
      model.set(refs[i]!.id, doc);
    });

    const created = await defineIndex(type, "by-g", { keys: ["/g"], sort: "/n" });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ status: "BUILDING" });
    await expectProblem(await query(type, "by-g", { where: { "/g": "g1" } }), 409);

    // While the build runs (its alarm started with the PUT): moves, deletes and new entities.
    const during: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const target = refs[(i * 37) % refs.length]!;
      if (i % 3 === 0) {
        during.push(
          remove(target).then((r) => {
            expect(r.status).toBe(204);
            model.delete(target.id);
          }),
        );
      } else if (i % 3 === 1) {
        const doc = { g: "moved", n: 5000 + i };
        during.push(
          mergePatch(target, doc).then((r) => {
            expect(r.status).toBe(200);
            model.set(target.id, doc);
          }),
        );
      } else {
        const fresh = ref(type, `new${i}`);
        refs.push(fresh);
        const doc = { g: `g${i % 10}`, n: 9000 + i };
        during.push(
          put(fresh, doc).then((r) => {
            expect(r.status).toBe(201);
            model.set(fresh.id, doc);
          }),
        );
      }
    }
    await Promise.all(during);
    await buildToEnd(type, "by-g");
    await delivered(refs);

    for (const g of ["g0", "g3", "g9", "moved"]) {
      const want = [...model.entries()]
        .filter(([, d]) => d.g === g)
        .sort(([, a], [, b]) => a.n - b.n)
        .map(([id]) => id);
      const got = (await all(type, "by-g", { where: { "/g": g }, limit: 37 })).map((i) => i.id);
      expect(got).toEqual(want);
    }
    const detail = await json<{ entries: number; status: string }>(await describeIndex(type, "by-g"));
    expect(detail).toMatchObject({ status: "ACTIVE", entries: model.size });
    expect(await statusOf(type, "by-g")).toBe("ACTIVE");
  }, 180_000);
});
