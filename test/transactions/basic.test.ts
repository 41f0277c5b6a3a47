import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";
import { holdOf, type Results, readItems, ref, transact } from "../support/transactions";

describe("POST /v1/transactions", () => {
  it("applies every operation and reports each result in order", async () => {
    const a = newEntity("account");
    const b = newEntity("account");
    const gone = newEntity("hold");
    const limits = newEntity("limits");
    await put(a, { balance: 100 });
    await put(b, { balance: 100 });
    await put(gone, { amount: 30 });
    await put(limits, { max: 1000 });
    const res = await transact([
      { op: "put", ...ref(a), body: { balance: 70 }, ifMatch: '"1"' },
      { op: "patch", ...ref(b), patch: { balance: 130 } },
      { op: "delete", ...ref(gone), ifMatch: "*" },
      { op: "check", ...ref(limits), ifMatch: '"1"' },
    ]);
    expect(res.status).toBe(200);
    const body = await json<Results>(res);
    expect(body.results).toEqual([
      { ...ref(a), version: 2, etag: '"2"' },
      { ...ref(b), version: 2, etag: '"2"' },
      { ...ref(gone), version: null, etag: null },
      { ...ref(limits), version: 1, etag: '"1"' },
    ]);
    expect(body.transaction).toMatch(/^[0-9a-f-]{36}$/);
    expect(await read(a)).toEqual({ status: 200, version: 2, body: { balance: 70 } });
    expect(await read(b)).toEqual({ status: 200, version: 2, body: { balance: 130 } });
    expect((await read(gone)).status).toBe(404);
    expect(await read(limits)).toEqual({ status: 200, version: 1, body: { max: 1000 } });
    for (const e of [a, b, gone, limits]) expect(await holdOf(e)).toBeNull();
  });

  it("applies nothing when one condition fails, and names every failed operation", async () => {
    const a = newEntity("account");
    const b = newEntity("account");
    const c = newEntity("account");
    await put(a, { balance: 100 });
    await put(b, { balance: 100 });
    const res = await transact([
      { op: "patch", ...ref(a), patch: { balance: 0 } },
      { op: "patch", ...ref(b), patch: { balance: 200 }, ifMatch: '"7"' },
      { op: "patch", ...ref(c), patch: { balance: 1 } },
    ]);
    const problem = (await expectProblem(res, 409)) as unknown as {
      type: string;
      failures: { index: number; code: string; currentVersion?: number }[];
    };
    expect(problem.type).toBe("urn:edgestate:problem:transaction-canceled");
    expect(problem.failures).toEqual([
      { index: 1, code: "precondition-failed", detail: expect.any(String), currentVersion: 1 },
      { index: 2, code: "not-found", detail: expect.any(String) },
    ]);
    expect(await read(a)).toEqual({ status: 200, version: 1, body: { balance: 100 } });
    expect(await read(b)).toEqual({ status: 200, version: 1, body: { balance: 100 } });
    expect((await read(c)).status).toBe(404);
    for (const e of [a, b, c]) expect(await holdOf(e)).toBeNull();
  });

  it("reads every item as of one point in time", async () => {
    const a = newEntity("account");
    const missing = newEntity("account");
    await put(a, { balance: 5 });
    expect(await readItems([ref(a), ref(missing)])).toEqual({
      items: [
        { ...ref(a), version: 1, body: { balance: 5 } },
        { ...ref(missing), version: null, body: null },
      ],
    });
  });
});
