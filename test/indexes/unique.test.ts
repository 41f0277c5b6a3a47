import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { entityObject, mergePatch, newType, put } from "../support/entities";
import { buildToEnd, defineIndex } from "../support/indexes";
import { expectProblem } from "../support/problem";
import { transact } from "../support/transactions";

const UNIQUE = "urn:edgestate:problem:unique-violation";

async function uniqueType(): Promise<string> {
  const type = newType("u");
  const res = await defineIndex(type, "by-email", { keys: ["/email"], unique: true });
  expect(res.status).toBe(201);
  expect(await json(res)).toMatchObject({ unique: true, keys: ["/email"] });
  await buildToEnd(type, "by-email");
  return type;
}

const ref = (type: string, id: string) => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});
const read = async (type: string, id: string) => {
  const res = await api("GET", `/v1/entities/${type}/${id}`);
  return res.status === 200 ? { status: 200, body: await json(res) } : { status: res.status };
};

describe("a unique index", () => {
  it("refuses a write that would give a second live entity the same key values, and changes nothing", async () => {
    const type = await uniqueType();
    expect((await put(ref(type, "a"), { email: "x@example.com" })).status).toBe(201);
    const refused = await put(ref(type, "b"), { email: "x@example.com" });
    expect((await expectProblem(refused, 409)).type).toBe(UNIQUE);
    expect(refused.headers.get("Retry-After")).toBeNull();
    expect((await read(type, "b")).status).toBe(404);
    // The holder itself may write the same values again.
    expect((await put(ref(type, "a"), { email: "x@example.com", n: 2 })).status).toBe(200);
    // A patch into a taken value is refused too, and the document stays as it was.
    expect((await put(ref(type, "b"), { email: "y@example.com" })).status).toBe(201);
    expect(
      (await expectProblem(await mergePatch(ref(type, "b"), { email: "x@example.com" }), 409)).type,
    ).toBe(UNIQUE);
    expect(await read(type, "b")).toEqual({ status: 200, body: { email: "y@example.com" } });
    // Documents outside the index (no /email) are not counted: the index is sparse.
    expect((await put(ref(type, "c"), { name: "c" })).status).toBe(201);
    expect((await put(ref(type, "d"), { name: "d" })).status).toBe(201);
  });

  it("frees a value when its holder changes it, is deleted, or expires", async () => {
    const type = await uniqueType();
    await put(ref(type, "a"), { email: "x@example.com" });
    expect((await mergePatch(ref(type, "a"), { email: "z@example.com" })).status).toBe(200);
    expect((await put(ref(type, "b"), { email: "x@example.com" })).status).toBe(201);
    expect((await api("DELETE", `/v1/entities/${type}/b`)).status).toBe(204);
    expect((await put(ref(type, "c"), { email: "x@example.com" }, {}, "?ttl=60")).status).toBe(201);
    expect((await expectProblem(await put(ref(type, "d"), { email: "x@example.com" }), 409)).type).toBe(
      UNIQUE,
    );
    // c's clock passes its expiry: it no longer holds the value, even before its alarm purges it.
    await runInDurableObject(entityObject(ref(type, "c")), (instance) => {
      (instance as unknown as { clock: { now: () => number } }).clock = { now: () => Date.now() + 61_000 };
    });
    expect((await put(ref(type, "d"), { email: "x@example.com" })).status).toBe(201);
  });

  it("lets exactly one of 16 concurrent writers of the same value through", async () => {
    const type = await uniqueType();
    const ids = Array.from({ length: 16 }, (_, i) => `w${i}`);
    const replies = await Promise.all(ids.map((id) => put(ref(type, id), { email: "same@example.com" })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    const types = await Promise.all(
      replies.filter((r) => r.status === 409).map(async (r) => (await json<{ type: string }>(r)).type),
    );
    for (const t of types) expect([UNIQUE, "urn:edgestate:problem:transaction-conflict"]).toContain(t);
    const live = (await Promise.all(ids.map((id) => read(type, id)))).filter((r) => r.status === 200);
    expect(live).toHaveLength(1);
  });

  it("lets at most one of two entities take a value each frees for the other, under concurrency", async () => {
    // Many clients move two values around three entities at once; at no point do two live
    // entities share one, which every successful write's reply and the end state show.
    const type = await uniqueType();
    await put(ref(type, "a"), { email: "p" });
    await put(ref(type, "b"), { email: "q" });
    await put(ref(type, "c"), { email: "r" });
    const values = ["p", "q", "r", "s"];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        mergePatch(ref(type, "abc"[i % 3]!), { email: values[(i * 7) % 4] }),
      ),
    );
    const docs = await Promise.all(["a", "b", "c"].map((id) => read(type, id)));
    const emails = docs.map((d) => (d.body as { email: string }).email);
    expect(new Set(emails).size).toBe(3);
  });
});

describe("a unique index in transactions", () => {
  it("cancels a transaction giving two of its entities the same values, or taking a held value", async () => {
    const type = await uniqueType();
    const twice = await transact([
      { op: "put", type, id: "a", body: { email: "x" } },
      { op: "put", type, id: "b", body: { email: "x" } },
    ]);
    const problem = await expectProblem(twice, 409);
    expect(problem.type).toBe("urn:edgestate:problem:transaction-canceled");
    expect(problem.failures?.map((f) => f.code)).toContain("unique-violation");
    expect([(await read(type, "a")).status, (await read(type, "b")).status]).toEqual([404, 404]);

    expect((await put(ref(type, "h"), { email: "held" })).status).toBe(201);
    const taking = await transact([
      { op: "put", type, id: "c", body: { email: "free" } },
      { op: "put", type, id: "d", body: { email: "held" } },
    ]);
    const failed = await expectProblem(taking, 409);
    expect(failed.failures).toEqual([expect.objectContaining({ index: 1, code: "unique-violation" })]);
    expect((await read(type, "c")).status).toBe(404);
    // The value c would have claimed is still free: the canceled transaction left it to others.
    expect((await put(ref(type, "e"), { email: "free" })).status).toBe(201);
  });

  it("lets exactly one of 8 concurrent transactions claiming the same value commit", async () => {
    const type = await uniqueType();
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        transact([
          { op: "put", type, id: `t${i}`, body: { email: "one" } },
          { op: "put", type, id: `o${i}`, body: { email: `other-${i}` } },
        ]),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const live = await Promise.all(Array.from({ length: 8 }, (_, i) => read(type, `t${i}`)));
    expect(live.filter((r) => r.status === 200)).toHaveLength(1);
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => read(type, `o${i}`)));
    expect(others.filter((r) => r.status === 200)).toHaveLength(1);
  });
});
