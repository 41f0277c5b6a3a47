// Every way an operation can fail cancels the whole transaction: nothing is applied anywhere, and
// the 409 names each failed operation with its own problem type.
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { type EntityRef, get, newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";
import { holdOf, type Results, ref, transact } from "../support/transactions";

async function existing(body: unknown = { n: 1 }) {
  const e = newEntity("item");
  await put(e, body);
  return e;
}

async function expectCanceled(res: Response) {
  const problem = await expectProblem(res, 409);
  expect(problem.type).toBe("urn:edgestate:problem:transaction-canceled");
  expect(res.headers.get("Retry-After")).toBeNull();
  return problem.failures ?? [];
}

async function expectUnchanged(e: EntityRef, version: number | null, body?: unknown) {
  const now = await read(e);
  expect(now.version).toBe(version);
  if (body !== undefined) expect(now.body).toEqual(body);
  expect(await holdOf(e)).toBeNull();
}

describe("a failed condition cancels everything", () => {
  it("ifNoneMatch * on an existing entity, ifMatch * on a missing one", async () => {
    const a = await existing();
    const missing = newEntity("item");
    const other = await existing();
    const failures = await expectCanceled(
      await transact([
        { op: "put", ...ref(a), body: { n: 2 }, ifNoneMatch: "*" },
        { op: "put", ...ref(missing), body: { n: 2 }, ifMatch: "*" },
        { op: "patch", ...ref(other), patch: { n: 3 } },
      ]),
    );
    expect(failures).toEqual([
      { index: 0, code: "precondition-failed", detail: expect.any(String), currentVersion: 1 },
      { index: 1, code: "precondition-failed", detail: expect.any(String) },
    ]);
    await expectUnchanged(a, 1, { n: 1 });
    await expectUnchanged(missing, null);
    await expectUnchanged(other, 1, { n: 1 });
  });

  it("a JSON Patch whose test fails, a patch or delete of a missing entity", async () => {
    const ledger = await existing({ state: "paid" });
    const gone = newEntity("item");
    const also = newEntity("item");
    const fine = await existing();
    const failures = await expectCanceled(
      await transact([
        {
          op: "patch",
          ...ref(ledger),
          patch: [{ op: "test", path: "/state", value: "new" }],
          patchType: "json-patch",
        },
        { op: "patch", ...ref(gone), patch: { a: 1 } },
        { op: "delete", ...ref(also) },
        { op: "delete", ...ref(fine) },
      ]),
    );
    expect(failures.map((f) => [f.index, f.code])).toEqual([
      [0, "patch-failed"],
      [1, "not-found"],
      [2, "not-found"],
    ]);
    await expectUnchanged(ledger, 1, { state: "paid" });
    await expectUnchanged(fine, 1, { n: 1 });
  });

  it("a check that does not hold reports the version it found", async () => {
    const limits = await existing({ max: 10 });
    await put(limits, { max: 12 });
    const a = await existing();
    const failures = await expectCanceled(
      await transact([
        { op: "check", ...ref(limits), ifMatch: '"1"' },
        { op: "put", ...ref(a), body: { n: 9 } },
      ]),
    );
    expect(failures).toEqual([
      { index: 0, code: "precondition-failed", detail: expect.any(String), currentVersion: 2 },
    ]);
    await expectUnchanged(a, 1, { n: 1 });
  });

  it("a check that a missing entity is still missing holds, and reports no version", async () => {
    const missing = newEntity("item");
    const a = await existing();
    const res = await transact([
      { op: "check", ...ref(missing), ifNoneMatch: "*" },
      { op: "put", ...ref(a), body: { n: 2 } },
    ]);
    expect(res.status).toBe(200);
    expect((await json<Results>(res)).results[0]).toEqual({ ...ref(missing), version: null, etag: null });
    await expectUnchanged(missing, null);
  });

  it("a patch that would make a document too large", async () => {
    const big = await existing({ fill: "x".repeat(200_000) });
    const a = await existing();
    const failures = await expectCanceled(
      await transact([
        { op: "patch", ...ref(big), patch: { more: "y".repeat(100_000) } },
        { op: "put", ...ref(a), body: { n: 2 } },
      ]),
    );
    expect(failures.map((f) => [f.index, f.code])).toEqual([[0, "content-too-large"]]);
    await expectUnchanged(a, 1, { n: 1 });
  });

  it("a JSON Patch that would make a document too large, refused at the operation that does it", async () => {
    const doc = await existing({ a: "x".repeat(100) });
    const fine = await existing();
    const doublings = Array.from({ length: 20 }, (_, i) => ({ op: "copy", from: "", path: `/k${i}` }));
    const res = await transact([
      { op: "put", ...ref(fine), body: { n: 2 } },
      { op: "patch", ...ref(doc), patch: doublings, patchType: "json-patch" },
    ]);
    const failures = await expectCanceled(res);
    expect(failures).toEqual([
      {
        index: 1,
        code: "content-too-large",
        detail: "operation 11 (copy): the patched document would exceed 262144 bytes",
      },
    ]);
    await expectUnchanged(doc, 1, { a: "x".repeat(100) });
    await expectUnchanged(fine, 1, { n: 1 });
  });
});

describe("what a committed transaction writes", () => {
  it("creates with ifNoneMatch *, sets and keeps TTLs per operation, deletes with a tombstone", async () => {
    const created = newEntity("item");
    const kept = await existing();
    await put(kept, { n: 1 }, {}, "?ttl=600");
    const cleared = await existing();
    const res = await transact([
      { op: "put", ...ref(created), body: { n: 1 }, ifNoneMatch: "*", ttl: 60 },
      { op: "patch", ...ref(kept), patch: { n: 2 } },
      { op: "put", ...ref(cleared), body: { n: 2 } },
    ]);
    expect(res.status).toBe(200);
    const expires = async (e: EntityRef) => {
      const res = await get(e);
      await res.body?.cancel();
      return res.headers.get("Edgestate-Expires");
    };
    expect(await expires(created)).not.toBeNull();
    expect(await expires(kept)).not.toBeNull();
    expect(await expires(cleared)).toBeNull();
  });
});
