import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { newEntity, newType, put } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered, describeIndex, page, query } from "../support/indexes";
import { expectProblem } from "../support/problem";

describe("defining indexes", () => {
  it("answers the same definition again with 200, another under the name with 409", async () => {
    const type = newType("a");
    const def = { keys: ["/customer", "/status"], sort: "/createdAt" };
    const first = await defineIndex(type, "open", def);
    expect(first.status).toBe(201);
    const created = await json<{ createdAt: string }>(first);
    expect(created).toEqual({
      type,
      index: "open",
      keys: def.keys,
      sort: def.sort,
      unique: false,
      status: "BUILDING",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await buildToEnd(type, "open");
    const again = await defineIndex(type, "open", def);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: "ACTIVE", createdAt: created.createdAt });
    await expectProblem(await defineIndex(type, "open", { keys: ["/customer"], sort: "/createdAt" }), 409);
    await expectProblem(await defineIndex(type, "open", { keys: ["/customer", "/status"] }), 409);
    // Unique or not is part of the definition too.
    await expectProblem(await defineIndex(type, "open", { ...def, unique: true }), 409);
  });

  it("lists, shows entry counts, drops (204, then 404) and creates again over what exists", async () => {
    const type = newType("l");
    await defineIndex(type, "a", { keys: ["/k"] });
    await defineIndex(type, "b", { keys: ["/k"], sort: "/n" });
    const refs = [newEntity(type), newEntity(type), newEntity(type)];
    for (const [i, ref] of refs.entries()) await put(ref, { k: "x", n: i });
    await buildToEnd(type, "a");
    await buildToEnd(type, "b");
    await delivered(refs);
    const listed = await json<{ items: { index: string; status: string }[] }>(
      await api("GET", `/v1/indexes/${type}`),
    );
    expect(listed.items.map((i) => [i.index, i.status])).toEqual([
      ["a", "ACTIVE"],
      ["b", "ACTIVE"],
    ]);
    expect(await json(await describeIndex(type, "b"))).toMatchObject({ entries: 3, rebuilding: false });

    expect((await api("DELETE", `/v1/indexes/${type}/a`)).status).toBe(204);
    await expectProblem(await api("DELETE", `/v1/indexes/${type}/a`), 404);
    await expectProblem(await describeIndex(type, "a"), 404);
    await expectProblem(await query(type, "a", { where: { "/k": "x" } }), 404);
    expect((await json<{ items: unknown[] }>(await api("GET", `/v1/indexes/${type}`))).items).toHaveLength(1);

    // The name is free again, for another definition, built over the entities that exist.
    expect((await defineIndex(type, "a", { keys: ["/n"] })).status).toBe(201);
    await buildToEnd(type, "a");
    expect((await all(type, "a", { where: { "/n": 2 } })).map((i) => i.id)).toEqual([refs[2]!.id]);
  });

  it("honours Idempotency-Key on PUT and DELETE", async () => {
    const type = newType("k");
    const headers = { "Idempotency-Key": "create-once" };
    const first = await defineIndex(type, "i", { keys: ["/k"] }, { headers });
    const replay = await defineIndex(type, "i", { keys: ["/k"] }, { headers });
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.text()).toBe(await first.text());
    await expectProblem(await defineIndex(type, "i", { keys: ["/other"] }, { headers }), 422);
    const drop = { headers: { "Idempotency-Key": "drop-once" } };
    expect((await api("DELETE", `/v1/indexes/${type}/i`, drop)).status).toBe(204);
    const dropAgain = await api("DELETE", `/v1/indexes/${type}/i`, drop);
    expect([dropAgain.status, dropAgain.headers.get("Idempotent-Replayed")]).toEqual([204, "true"]);
  });

  it("allows at most 10 indexes per type", async () => {
    const type = newType("m");
    for (let i = 0; i < 10; i++)
      expect((await defineIndex(type, `i${i}`, { keys: [`/f${i}`] })).status).toBe(201);
    const problem = await expectProblem(await defineIndex(type, "i10", { keys: ["/f10"] }), 409);
    expect(problem.detail).toContain("10");
  });
});

describe("querying", () => {
  it("orders an index without a sort pointer by id, and refuses a range on it", async () => {
    const type = newType("n");
    await defineIndex(type, "plain", { keys: ["/k"] });
    await buildToEnd(type, "plain");
    const refs = ["c", "a", "b"].map((id) => ({
      tenant: "default",
      type,
      id,
      path: `/v1/entities/${type}/${id}`,
    }));
    for (const ref of refs) await put(ref, { k: 1 });
    await delivered(refs);
    const found = await page(type, "plain", { where: { "/k": 1 } });
    expect(found.items.map((i) => [i.id, "sort" in i])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
    ]);
    expect((await page(type, "plain", { where: { "/k": 1 }, order: "desc" })).items.map((i) => i.id)).toEqual(
      ["c", "b", "a"],
    );
    const problem = await expectProblem(
      await query(type, "plain", { where: { "/k": 1 }, range: { gt: 0 } }),
      400,
    );
    expect(problem.errors?.[0]?.pointer).toBe("/range");
  });

  it("leaves out documents that lack a key or sort field or hold a non-scalar there (a sparse index)", async () => {
    const type = newType("s");
    await defineIndex(type, "i", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "i");
    const docs = [
      { k: "x", n: 1 },
      { k: "x" },
      { n: 1 },
      { k: ["x"], n: 1 },
      { k: "x", n: { a: 1 } },
      { k: "x", n: null },
    ];
    const refs = docs.map(() => newEntity(type));
    for (const [i, doc] of docs.entries()) await put(refs[i]!, doc);
    await delivered(refs);
    const found = await page(type, "i", { where: { "/k": "x" }, include: "documents" });
    expect(found.items.map((i) => [i.id, i.sort, i.body])).toEqual([
      [refs[5]!.id, null, { k: "x", n: null }],
      [refs[0]!.id, 1, { k: "x", n: 1 }],
    ]);
  });

  it("orders and ranges over every scalar kind: null < false < true < numbers < strings", async () => {
    const type = newType("o");
    await defineIndex(type, "i", { keys: ["/k"], sort: "/v" });
    await buildToEnd(type, "i");
    const values = ["b", 2.5, true, null, "a", -1, false, "ab", 0, "é"];
    const refs = values.map((_, i) => ({
      tenant: "default",
      type,
      id: `v${i}`,
      path: `/v1/entities/${type}/v${i}`,
    }));
    for (const [i, v] of values.entries()) await put(refs[i]!, { k: "all", v });
    await delivered(refs);
    const sorts = async (range?: Record<string, unknown>, order: "asc" | "desc" = "asc") =>
      (await all(type, "i", { where: { "/k": "all" }, ...(range ? { range } : {}), order, limit: 3 })).map(
        (i) => i.sort,
      );
    expect(await sorts()).toEqual([null, false, true, -1, 0, 2.5, "a", "ab", "b", "é"]);
    expect(await sorts(undefined, "desc")).toEqual(["é", "b", "ab", "a", 2.5, 0, -1, true, false, null]);
    expect(await sorts({ gte: 0 })).toEqual([0, 2.5]);
    expect(await sorts({ gt: -1, lte: 2.5 })).toEqual([0, 2.5]);
    expect(await sorts({ lt: 0 })).toEqual([-1]);
    expect(await sorts({ gte: false })).toEqual([false, true]);
    expect(await sorts({ gt: false })).toEqual([true]);
    expect(await sorts({ lte: null })).toEqual([null]);
    expect(await sorts({ gt: "a", lt: "é" })).toEqual(["ab", "b"]);
    expect(await sorts({ beginsWith: "a" })).toEqual(["a", "ab"]);
    expect(await sorts({ beginsWith: "a", gt: "a" })).toEqual(["ab"]);
    expect(await sorts({ beginsWith: "" }, "desc")).toEqual(["é", "b", "ab", "a"]);
  });

  it("paging returns each match exactly once while writes go on", async () => {
    const type = newType("g");
    await defineIndex(type, "i", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "i");
    const originals = Array.from({ length: 60 }, (_, i) => ({
      tenant: "default",
      type,
      id: `o${String(i).padStart(2, "0")}`,
      path: `/v1/entities/${type}/o${String(i).padStart(2, "0")}`,
    }));
    for (const [i, ref] of originals.entries()) await put(ref, { k: "p", n: i * 10, note: "first" });
    await delivered(originals);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const p = await page(type, "i", { where: { "/k": "p" }, limit: 7, cursor });
      seen.push(...p.items.map((i) => i.id));
      cursor = p.cursor;
      // Between pages: new matches before and after the cursor, other fields of originals change,
      // and entities elsewhere in the index come and go.
      const extra = [newEntity(type), newEntity(type), newEntity(type)];
      await put(extra[0]!, { k: "p", n: round * 10 + 5 });
      await put(extra[1]!, { k: "p", n: -1 });
      await put(extra[2]!, { k: "other", n: round });
      const touched = originals[(round * 13) % originals.length]!;
      await put(touched, { k: "p", n: ((round * 13) % originals.length) * 10, note: `changed ${round}` });
      await delivered([...extra, touched]);
      round++;
    } while (cursor !== null);
    const originalIds = originals.map((o) => o.id);
    for (const id of originalIds) expect(seen.filter((s) => s === id)).toEqual([id]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("cuts a page of large documents at about 2 MiB and carries on from the cursor", async () => {
    const type = newType("big");
    await defineIndex(type, "i", { keys: ["/k"], sort: "/n" });
    await buildToEnd(type, "i");
    const filler = "x".repeat(200_000);
    const refs = Array.from({ length: 12 }, () => newEntity(type));
    for (const [i, ref] of refs.entries())
      expect((await put(ref, { k: "big", n: i, filler })).status).toBe(201);
    await delivered(refs);
    const first = await page(type, "i", { where: { "/k": "big" }, include: "documents" });
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.items.length).toBeLessThan(12);
    expect(first.cursor).not.toBeNull();
    const every = await all(type, "i", { where: { "/k": "big" }, include: "documents" });
    expect(every.map((i) => (i.body as { n: number }).n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
