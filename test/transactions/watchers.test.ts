import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { transact } from "../support/transactions";
import { watch } from "../watch/support";

describe("a transaction and the entities' watchers", () => {
  it("tells each participant's watchers its committed version, and nothing of a canceled one", async () => {
    const [a, b] = [unique("a"), unique("b")];
    await api("PUT", `/v1/entities/account/${a}`, { body: { balance: 100 } });
    const wa = await watch(`/v1/entities/account/${a}/watch`);
    const wb = await watch(`/v1/entities/account/${b}/watch`);
    expect(await wa.next()).toMatchObject({ type: "version", version: 1, body: { balance: 100 } });
    expect(await wb.next()).toEqual({ type: "missing" });

    // Canceled (b must not exist, and does not; a's condition fails): neither watcher hears anything.
    const canceled = await transact([
      { op: "patch", type: "account", id: a, patch: { balance: 0 }, ifMatch: '"7"' },
      { op: "put", type: "account", id: b, body: { balance: 0 }, ifNoneMatch: "*" },
    ]);
    expect(canceled.status).toBe(409);

    const applied = await transact([
      { op: "patch", type: "account", id: a, patch: { balance: 70 }, ifMatch: '"1"' },
      { op: "put", type: "account", id: b, body: { balance: 30 }, ifNoneMatch: "*" },
    ]);
    expect(applied.status).toBe(200);
    // The next message each watcher gets is the transaction's version: the canceled one sent none.
    expect(await wa.next()).toMatchObject({
      type: "version",
      version: 2,
      op: "patch",
      body: { balance: 70 },
    });
    expect(await wb.next()).toMatchObject({ type: "version", version: 1, op: "put", body: { balance: 30 } });

    const deleted = await transact([{ op: "delete", type: "account", id: b, ifMatch: '"1"' }]);
    expect(deleted.status).toBe(200);
    expect(await wb.next()).toEqual({ type: "deleted", version: 2 });
    wa.ws.close(1000);
    wb.ws.close(1000);
  });
});
