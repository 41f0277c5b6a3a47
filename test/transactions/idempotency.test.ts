// Idempotency-Key on POST /v1/transactions: a retry gets the first reply byte for byte and the
// transaction is applied once; a canceled transaction's refusal is replayed too (the same request
// fails the same way), while a conflict is not kept, so a retry runs again.
import { describe, expect, it } from "vitest";
import { json, unique } from "../support/api";
import { newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";
import { type Results, ref, transact } from "../support/transactions";

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

describe("Idempotency-Key on transactions", () => {
  it("replays the first reply and applies the transaction once", async () => {
    const a = newEntity("account");
    const b = newEntity("account");
    await put(a, { balance: 10 });
    const key = unique("key");
    const ops = [
      { op: "patch", ...ref(a), patch: { balance: 5 } },
      { op: "put", ...ref(b), body: { balance: 5 }, ifNoneMatch: "*" },
    ];
    const first = await transact(ops, keyed(key));
    const firstText = await first.text();
    expect(first.status).toBe(200);
    const again = await transact(ops, keyed(key));
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.text()).toBe(firstText);
    expect(await read(a)).toEqual({ status: 200, version: 2, body: { balance: 5 } });
    expect(await read(b)).toEqual({ status: 200, version: 1, body: { balance: 5 } });
  });

  it("refuses the same key with another request (422), applying nothing", async () => {
    const a = newEntity("account");
    await put(a, { balance: 10 });
    const key = unique("key");
    expect((await transact([{ op: "patch", ...ref(a), patch: { balance: 5 } }], keyed(key))).status).toBe(
      200,
    );
    const other = await transact([{ op: "patch", ...ref(a), patch: { balance: 0 } }], keyed(key));
    await expectProblem(other, 422);
    expect((await read(a)).body).toEqual({ balance: 5 });
  });

  it("replays a canceled transaction's 409, even once its condition would hold", async () => {
    const a = newEntity("account");
    await put(a, { balance: 10 });
    const key = unique("key");
    const ops = [{ op: "patch", ...ref(a), patch: { balance: 1 }, ifMatch: '"2"' }];
    const first = await transact(ops, keyed(key));
    const problem = await expectProblem(first, 409);
    await put(a, { balance: 10 });
    const again = await transact(ops, keyed(key));
    expect(again.status).toBe(409);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    // The first reply, byte for byte: its problem names the first request.
    expect(JSON.parse(await again.text())).toEqual(problem);
    expect(await read(a)).toEqual({ status: 200, version: 2, body: { balance: 10 } });
  });

  it("gives concurrent retries under one key one transaction", async () => {
    const a = newEntity("account");
    await put(a, { n: 0 });
    const key = unique("key");
    const ops = [{ op: "patch", ...ref(a), patch: { n: 1 } }];
    const replies = await Promise.all(Array.from({ length: 5 }, () => transact(ops, keyed(key))));
    const bodies = await Promise.all(replies.map((r) => json<Results>(r)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(bodies.map((b) => b.transaction)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get("Idempotent-Replayed") === "true")).toHaveLength(4);
    expect((await read(a)).version).toBe(2);
  });
});
