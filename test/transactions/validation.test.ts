// Malformed transactions are refused with 400 (413 for a document too large) before anything is
// staged, with a pointer into the body for each problem; so are malformed transactional reads.
import { describe, expect, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";
import { type Op, type Results, readAll, ref, transact } from "../support/transactions";

const pointers = async (res: Response, status = 400) =>
  ((await expectProblem(res, status)).errors ?? []).map((e) => e.pointer);

const patchOf = (id: string): Op => ({ op: "patch", type: "item", id, patch: { n: 1 } });

describe("malformed transactions", () => {
  it("needs 1 to 100 operations", async () => {
    expect(await pointers(await transact([]))).toEqual(["/operations"]);
    const many = Array.from({ length: 101 }, (_, i) => patchOf(`i${i}`));
    expect(await pointers(await transact(many))).toEqual(["/operations"]);
    expect(await pointers(await api("POST", "/v1/transactions", { body: {} }))).toEqual(["/operations"]);
  });

  it("refuses two operations on one entity, naming the second", async () => {
    const e = newEntity("item");
    await put(e, { n: 0 });
    const res = await transact([
      { op: "check", ...ref(e), ifMatch: "*" },
      { op: "patch", type: "item", id: "other", patch: {} },
      { op: "patch", ...ref(e), patch: { n: 1 } },
    ]);
    const problem = await expectProblem(res, 400);
    expect(problem.errors).toEqual([
      { pointer: "/operations/2", message: expect.stringContaining("operation 0") },
    ]);
    expect((await read(e)).version).toBe(1);
  });

  it("points at each malformed field", async () => {
    const res = await transact([
      { op: "put", type: "Bad Type", id: "x", body: {} },
      { op: "patch", type: "item", id: "x", patch: {}, ifMatch: "3" },
      { op: "check", type: "item", id: "y" },
      { op: "patch", type: "item", id: "z", patch: [{ op: "bogus", path: "/a" }], patchType: "json-patch" },
      { op: "delete", type: "item", id: "w", ifNoneMatch: "*" },
      { op: "put", type: "item", id: "v", body: {}, ttl: 0 },
      { op: "move", type: "item", id: "u" },
      { op: "put", type: "item", id: "t" },
      { op: "patch", type: "item", id: "s", patch: {}, extra: true },
    ]);
    expect(await pointers(res)).toEqual(
      expect.arrayContaining([
        "/operations/0/type",
        "/operations/5/ttl",
        "/operations/6/op",
        expect.stringMatching(/^\/operations\/4/),
        expect.stringMatching(/^\/operations\/8/),
      ]),
    );
  });

  it("points at what only the operation's meaning can refuse", async () => {
    const res = await transact([
      { op: "patch", type: "item", id: "x", patch: {}, ifMatch: "3" },
      { op: "check", type: "item", id: "y" },
      { op: "patch", type: "item", id: "z", patch: [{ op: "bogus", path: "/a" }], patchType: "json-patch" },
    ]);
    expect(await pointers(res)).toEqual([
      "/operations/0/ifMatch",
      "/operations/1",
      "/operations/2/patch/0/op",
    ]);
  });

  it("answers 413 for a document larger than MAX_BODY_BYTES, pointing at it", async () => {
    const res = await transact([
      { op: "put", type: "item", id: unique("x"), body: { fill: "x".repeat(300_000) } },
    ]);
    expect(await pointers(res, 413)).toEqual(["/operations/0/body"]);
  });

  it("answers 413 for a whole body over 4 MiB", async () => {
    const fill = "x".repeat(250_000);
    const ops = Array.from({ length: 17 }, (_, i) => ({
      op: "put",
      type: "item",
      id: `big${i}`,
      body: { fill },
    }));
    await expectProblem(await transact(ops), 413);
  });

  it("takes 100 operations at once", async () => {
    const type = `many${crypto.randomUUID().slice(0, 6)}`;
    const ops = Array.from({ length: 100 }, (_, i) => ({ op: "put", type, id: `i${i}`, body: { i } }));
    const res = await transact(ops);
    expect(res.status).toBe(200);
    const { results } = await json<Results>(res);
    expect(results).toHaveLength(100);
    expect(results.every((r) => r.version === 1)).toBe(true);
    const read100 = await readAll(ops.map(({ type, id }) => ({ type, id })));
    const items = (await json<{ items: { body: { i: number } }[] }>(read100)).items;
    expect(items.map((item) => item.body.i)).toEqual(ops.map((_, i) => i));
  });
});

describe("malformed transactional reads", () => {
  it("needs 1 to 100 items of type and id", async () => {
    expect(await pointers(await readAll([]))).toEqual(["/items"]);
    const many = Array.from({ length: 101 }, (_, i) => ({ type: "item", id: `i${i}` }));
    expect(await pointers(await readAll(many))).toEqual(["/items"]);
    expect(await pointers(await readAll([{ type: "item", id: ".." }]))).toEqual(["/items/0/id"]);
  });
});

describe("scopes", () => {
  it("a read key reads transactionally but cannot write a transaction", async () => {
    const tenant = unique("scope");
    const key = await issueKey(tenant, ["read"]);
    const e = newEntity("item", tenant);
    await expectProblem(await transact([{ op: "put", ...ref(e), body: {} }], { key }), 403);
    expect((await readAll([ref(e)], { key })).status).toBe(200);
    expect((await read(e, { tenant })).status).toBe(404);
  });
});
