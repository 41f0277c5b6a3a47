// GET /v1/executions: the tenant's executions across machines, newest first, from the KV index
// every execution writes beside its machine's.
import { expect, describe as group, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { putMachine, start } from "./support";

interface Recent {
  items: {
    machine: string;
    name: string;
    status: string;
    machineVersion: number;
    startedAt: string;
    stoppedAt: string | null;
  }[];
  cursor: string | null;
}

const recent = async (query = "", key?: string) =>
  json<Recent>(await api("GET", `/v1/executions${query}`, key ? { key } : {}));

const pass = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
const waits = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } };

group("the tenant's recent executions", () => {
  it("lists executions of every machine, newest first, with their machine and status", async () => {
    const tenant = unique("tn");
    const key = await issueKey(tenant);
    const [a, b] = [unique("a"), unique("b")];
    await putMachine(a, pass, tenant);
    await putMachine(b, waits, tenant);
    await start(a, { name: "one" }, "?wait=10", tenant);
    await start(b, { name: "two" }, "", tenant);
    await start(a, { name: "three" }, "?wait=10", tenant);
    await expect
      .poll(async () => (await recent("", key)).items.map((e) => `${e.machine}/${e.name}:${e.status}`))
      .toEqual([`${a}/three:SUCCEEDED`, `${b}/two:RUNNING`, `${a}/one:SUCCEEDED`]);
    const [newest] = (await recent("", key)).items;
    expect(newest).toMatchObject({ machineVersion: 1, stoppedAt: expect.any(String) });

    expect((await recent("?status=RUNNING", key)).items.map((e) => e.name)).toEqual(["two"]);
    const first = await recent("?limit=1", key);
    expect(first.items.map((e) => e.name)).toEqual(["three"]);
    expect(first.cursor).not.toBeNull();
    const second = await recent(`?limit=2&cursor=${encodeURIComponent(first.cursor!)}`, key);
    expect(second.items.map((e) => e.name)).toEqual(["two", "one"]);
  });

  it("keeps a deleted machine's executions, and never shows another tenant's", async () => {
    const [mine, theirs] = [unique("tn"), unique("tn")];
    const machine = unique("m");
    await putMachine(machine, pass, mine);
    await start(machine, { name: "kept" }, "?wait=10", mine);
    expect((await api("DELETE", `/v1/machines/${machine}`, { tenant: mine })).status).toBe(204);
    const key = await issueKey(mine);
    await expect.poll(async () => (await recent("", key)).items.map((e) => e.name)).toEqual(["kept"]);
    expect((await recent("", await issueKey(theirs))).items).toEqual([]);
  });

  it("refuses an unknown status", async () => {
    expect((await api("GET", "/v1/executions?status=DONE")).status).toBe(400);
  });
});
