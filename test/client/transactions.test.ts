// es.transactions against wrangler dev: all or nothing, failures named per operation, one
// point-in-time read.
import { describe, expect, it } from "vitest";
import { client, failure, unique } from "./support";

const es = client();

describe("es.transactions", () => {
  it("write applies every operation or none; get reads them as of one point", async () => {
    const a = unique("acct");
    const b = unique("acct");
    await es.entities.put("account", a, { balance: 100 });
    const done = await es.transactions.write([
      { op: "patch", type: "account", id: a, patch: { balance: 70 }, ifMatch: '"1"' },
      { op: "put", type: "account", id: b, body: { balance: 30 }, ifNoneMatch: "*" },
    ]);
    expect(done.results.map((r) => [r.id, r.version])).toEqual([
      [a, 2],
      [b, 1],
    ]);
    const canceled = await failure(
      es.transactions.write([
        { op: "patch", type: "account", id: a, patch: { balance: 0 } },
        { op: "check", type: "account", id: b, ifMatch: '"9"' },
      ]),
    );
    expect(canceled.code).toBe("transaction-canceled");
    expect(canceled.problem?.failures).toEqual([
      expect.objectContaining({ index: 1, code: "precondition-failed" }),
    ]);
    const read = await es.transactions.get([
      { type: "account", id: a },
      { type: "account", id: b },
      { type: "account", id: unique("none") },
    ]);
    expect(read.items.map((i) => [i.version, i.body])).toEqual([
      [2, { balance: 70 }],
      [1, { balance: 30 }],
      [null, null],
    ]);
  });
});
