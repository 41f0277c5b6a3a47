import { describe, expect, it } from "vitest";
import { HELLO_WORLD } from "../machines/support";
import { api, issueKey, json, unique } from "../support/api";
import {
  get,
  jsonPatch,
  kvCopy,
  mergePatch,
  newEntity,
  newType,
  put,
  read,
  remove,
  warmCopy,
} from "../support/entities";
import { expectProblem } from "../support/problem";

const POLL = { timeout: 15_000, interval: 100 };

async function twoTenants() {
  const a = unique("ta");
  const b = unique("tb");
  return { a, b, keyA: await issueKey(a), keyB: await issueKey(b) };
}

describe("tenant isolation", () => {
  it("another tenant's entity is indistinguishable from a missing one (404 everywhere)", async () => {
    const { a, keyA, keyB } = await twoTenants();
    const e = newEntity("doc", a);
    expect((await put(e, { owner: "a" }, { key: keyA })).status).toBe(201);

    const missing = newEntity("doc", a);
    for (const [res, missingRes] of [
      [await get(e, { key: keyB }), await get(missing, { key: keyB })],
      [
        await api("GET", `${e.path}/history`, { key: keyB }),
        await api("GET", `${missing.path}/history`, { key: keyB }),
      ],
      [
        await mergePatch(e, { owner: "b" }, { key: keyB }),
        await mergePatch(missing, { x: 1 }, { key: keyB }),
      ],
      [await jsonPatch(e, [{ op: "remove", path: "/owner" }], { key: keyB }), undefined],
      [await remove(e, { key: keyB }), await remove(missing, { key: keyB })],
      [await get(e, { key: keyB }, "?consistency=eventual"), undefined],
      [await get(e, { key: keyB }, "?version=1"), undefined],
    ] as const) {
      const problem = await expectProblem(res, 404);
      if (missingRes) {
        const other = await expectProblem(missingRes, 404);
        expect({ ...problem, instance: "" }).toEqual({ ...other, instance: "" });
      }
    }
    expect(await read(e, { key: keyA })).toEqual({ status: 200, version: 1, body: { owner: "a" } });
  });

  it("a write by another tenant to the same path creates that tenant's own entity", async () => {
    const { a, keyA, keyB } = await twoTenants();
    const e = newEntity("doc", a);
    await put(e, { owner: "a" }, { key: keyA });
    await put(e, { owner: "a", v: 2 }, { key: keyA });
    const theirs = await put(e, { owner: "b" }, { key: keyB });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("ETag")).toBe('"1"');
    expect(await read(e, { key: keyA })).toEqual({ status: 200, version: 2, body: { owner: "a", v: 2 } });
    expect(await read(e, { key: keyB })).toEqual({ status: 200, version: 1, body: { owner: "b" } });
  });

  it("another tenant's listing never shows the entity", async () => {
    const { a, b, keyA, keyB } = await twoTenants();
    const type = newType();
    await put(`/v1/entities/${type}/only-a`, 1, { key: keyA });
    await expect
      .poll(
        async () =>
          (await json<{ items: unknown[] }>(await api("GET", `/v1/entities/${type}`, { key: keyA }))).items,
        POLL,
      )
      .toHaveLength(1);
    const listB = await api("GET", `/v1/entities/${type}`, { key: keyB });
    expect(await json(listB)).toEqual({ items: [], cursor: null });
    const adminOnB = await api("GET", `/v1/entities/${type}`, { tenant: b });
    expect(await json(adminOnB)).toEqual({ items: [], cursor: null });
    const adminOnA = await api("GET", `/v1/entities/${type}`, { tenant: a });
    expect((await json<{ items: { id: string }[] }>(adminOnA)).items.map((i) => i.id)).toEqual(["only-a"]);
    const adminDefault = await api("GET", `/v1/entities/${type}`);
    expect(await json(adminDefault)).toEqual({ items: [], cursor: null });
  });

  it("keeps each tenant's KV copy under its own tenant", async () => {
    const { a, b, keyA, keyB } = await twoTenants();
    const ea = newEntity("doc", a);
    const eb = { ...ea, tenant: b };
    await put(ea, "a", { key: keyA });
    await put(eb, "b", { key: keyB });
    await warmCopy(ea);
    await warmCopy(eb);
    await expect.poll(async () => (await kvCopy(ea))?.meta.v, POLL).toBe(1);
    await expect.poll(async () => (await kvCopy(eb))?.meta.v, POLL).toBe(1);
    expect(await json(await get(ea, { key: keyA }, "?consistency=eventual"))).toBe("a");
    expect(await json(await get(eb, { key: keyB }, "?consistency=eventual"))).toBe("b");
  });

  it("the admin key acts on the tenant named in Edgestate-Tenant, and on default without it", async () => {
    const { a, keyA } = await twoTenants();
    const e = newEntity("doc", a);
    expect((await put(e, { by: "admin" }, { tenant: a })).status).toBe(201);
    expect(await read(e, { key: keyA })).toEqual({ status: 200, version: 1, body: { by: "admin" } });
    await expectProblem(await get(e), 404);
    await put(e, { by: "admin-default" });
    expect((await read(e, { tenant: "default" })).body).toEqual({ by: "admin-default" });
    expect((await read(e, { tenant: a })).body).toEqual({ by: "admin" });
  });

  it("tenant B's write, delete and stop leave tenant A's entity, session and execution as they were", async () => {
    const { a, b, keyA, keyB } = await twoTenants();
    const e = newEntity("doc", a);
    const machine = unique("iso");
    expect((await put(e, { owner: "a" }, { key: keyA })).status).toBe(201);
    const session = await json<{ id: string }>(
      await api("POST", "/v1/sessions", { key: keyA, body: { data: { owner: "a" } } }),
    );
    for (const key of [keyA, keyB]) {
      expect((await api("PUT", `/v1/machines/${machine}`, { key, body: HELLO_WORLD })).status).toBe(201);
      const started = await api("POST", `/v1/machines/${machine}/executions`, {
        key,
        body: { name: "run", input: { IsHelloWorldExample: true } },
      });
      expect(started.status).toBe(201);
    }
    const entityOfA = async () =>
      expect(await read(e, { key: keyA })).toEqual({ status: 200, version: 1, body: { owner: "a" } });
    const sessionOfA = async () => {
      const res = await api("GET", `/v1/sessions/${session.id}`, { key: keyA });
      expect(res.status).toBe(200);
      expect((await json<{ data: unknown; version: number }>(res)).data).toEqual({ owner: "a" });
    };
    const executionOfA = async () => {
      const res = await api("GET", `/v1/machines/${machine}/executions/run`, { key: keyA });
      expect((await json<{ status: string }>(res)).status).toBe("RUNNING");
    };

    // B writes to the same entity path: its own entity, A's unchanged.
    expect((await put(e, { owner: "b" }, { key: keyB })).status).toBe(201);
    await entityOfA();
    // B deletes at that path: its own entity goes, A's stays.
    expect((await remove(e, { key: keyB })).status).toBe(204);
    await entityOfA();
    // B writes and deletes A's session id: there is no such session for B.
    await expectProblem(
      await api("PATCH", `/v1/sessions/${session.id}`, {
        key: keyB,
        body: { owner: "b" },
        contentType: "application/merge-patch+json",
      }),
      404,
    );
    await sessionOfA();
    await expectProblem(await api("DELETE", `/v1/sessions/${session.id}`, { key: keyB }), 404);
    await sessionOfA();
    // B stops its execution of the same machine and execution names: A's keeps running.
    const stopped = await api("POST", `/v1/machines/${machine}/executions/run/stop`, { key: keyB, body: {} });
    expect((await json<{ status: string }>(stopped)).status).toBe("ABORTED");
    await executionOfA();
    // B's log-out-everywhere and definition delete under the same names touch nothing of A's.
    expect((await api("DELETE", `/v1/machines/${machine}`, { key: keyB })).status).toBe(204);
    expect((await api("GET", `/v1/machines/${machine}`, { key: keyA })).status).toBe(200);
    await executionOfA();
    expect(a).not.toBe(b);
  });
});
