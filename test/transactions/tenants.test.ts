// A tenant's transactions act on its own entities only: the same type and id in another tenant is
// another entity, which neither a transaction nor a transactional read can reach.
import { describe, expect, it } from "vitest";
import { issueKey, json, unique } from "../support/api";
import { newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";
import { type ReadItems, readAll, ref, transact } from "../support/transactions";

describe("tenant isolation", () => {
  it("never reads or changes another tenant's entity of the same type and id", async () => {
    const owner = unique("owner");
    const other = unique("other");
    const otherKey = await issueKey(other);
    const a = newEntity("account", owner);
    await put(a, { balance: 100 }, { tenant: owner });

    // The other tenant's check sees no such entity: its ifMatch fails, nothing is applied.
    const check = await transact([{ op: "check", ...ref(a), ifMatch: "*" }], { key: otherKey });
    expect((await expectProblem(check, 409)).failures?.[0]?.code).toBe("precondition-failed");
    // Its write creates its own entity, leaving the owner's alone.
    const res = await transact([{ op: "put", ...ref(a), body: { balance: 0 }, ifNoneMatch: "*" }], {
      key: otherKey,
    });
    expect(res.status).toBe(200);
    expect(await read(a, { tenant: owner })).toEqual({ status: 200, version: 1, body: { balance: 100 } });
    expect(await read(a, { key: otherKey })).toEqual({ status: 200, version: 1, body: { balance: 0 } });

    const ownerRead = await json<ReadItems>(await readAll([ref(a)], { tenant: owner }));
    const otherRead = await json<ReadItems>(await readAll([ref(a)], { key: otherKey }));
    expect(ownerRead.items[0]?.body).toEqual({ balance: 100 });
    expect(otherRead.items[0]?.body).toEqual({ balance: 0 });
  });

  it("refuses a key of one tenant naming another in Edgestate-Tenant", async () => {
    const key = await issueKey(unique("mine"));
    const a = newEntity("account", unique("theirs"));
    await expectProblem(await transact([{ op: "put", ...ref(a), body: {} }], { key, tenant: a.tenant }), 403);
    await expectProblem(await readAll([ref(a)], { key, tenant: a.tenant }), 403);
  });
});
