// Watching a query through the Worker: the first page, then each matching entity entering, moving
// within and leaving the query's key and range, with documents only when asked, and nothing of
// other keys, other ranges or other tenants, as real WebSocket and SSE clients see it.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { keyMessage, shardOfHash } from "../../src/core/indexes/key-message";
import { blindHash } from "../../src/crypto/blind-index";
import { api, issueKey, json, unique } from "../support/api";
import { type EntityRef, newType, put, remove } from "../support/entities";
import { buildToEnd, catalogObject, defineIndex, delivered, page, shardsOf } from "../support/indexes";
import { readSse } from "./sse";
import { sseResponse, type Watcher, watch, watchResponse } from "./support";

const INDEX = "by-customer";

const watchPath = (type: string, q: unknown) =>
  `/v1/indexes/${type}/${INDEX}/query/watch?query=${encodeURIComponent(JSON.stringify(q))}`;

async function indexedType(tenant = "default"): Promise<string> {
  const type = newType("q");
  const call = tenant === "default" ? {} : { tenant };
  expect((await defineIndex(type, INDEX, { keys: ["/customer"], sort: "/at" }, call)).status).toBe(201);
  await buildToEnd(type, INDEX, tenant);
  return type;
}

/** Writes the entity and waits until its index change is delivered. */
async function write(type: string, id: string, body: unknown, tenant = "default"): Promise<EntityRef> {
  const ref = { tenant, type, id, path: `/v1/entities/${type}/${id}` };
  const call = tenant === "default" ? {} : { tenant };
  expect([200, 201]).toContain((await put(ref, body, call)).status);
  await delivered([ref]);
  return ref;
}

/** The shard a customer's entries live on, computed as the Worker computes it. */
async function shardOf(type: string, customer: string): Promise<number> {
  const gen = await runInDurableObject(catalogObject(type), async (instance) => {
    const view = await (
      instance as unknown as {
        describe(i: string): Promise<{ value: { serving: { gen: string; keyId: string; shards: number } } }>;
      }
    ).describe(INDEX);
    return view.value.serving;
  });
  const hash = blindHash(getConfig(env).ring!, gen.keyId, "default", keyMessage(gen.gen, [customer]));
  return shardOfHash(hash!, gen.shards);
}

const close = (w: Watcher) => w.ws.close(1000);

describe("watching a query", () => {
  it("answers with the current page, then tells entities entering, moving within and leaving the range", async () => {
    const type = await indexedType();
    await write(type, "a", { customer: "c-42", at: "2026-02" });
    await write(type, "b", { customer: "c-42", at: "2026-03" });
    await write(type, "c", { customer: "c-42", at: "2026-09" });
    const q = {
      where: { "/customer": "c-42" },
      range: { gte: "2026-01", lt: "2026-07" },
      limit: 1,
      include: "documents" as const,
    };
    const docs = await watch(watchPath(type, q));
    const ids = await watch(watchPath(type, { ...q, include: "ids" }));
    // The page POST …/query answers, cursor and all.
    const first = await docs.next();
    expect(first).toEqual({ type: "page", ...(await page(type, INDEX, q)) });
    expect(first).toMatchObject({
      items: [{ id: "a", sort: "2026-02", body: { customer: "c-42", at: "2026-02" } }],
    });
    expect(await ids.next()).toEqual({
      type: "page",
      ...(await page(type, INDEX, { ...q, include: "ids" })),
    });

    await write(type, "c", { customer: "c-42", at: "2026-04" }); // enters the range
    await write(type, "a", { customer: "c-42", at: "2026-05", n: 1 }); // moves within it
    await write(type, "b", { customer: "c-42", at: "2026-08" }); // leaves it
    await write(type, "d", { customer: "c-42", at: "2027-01" }); // never in it
    await write(type, "e", { customer: "c-7", at: "2026-02" }); // another key
    await remove({ tenant: "default", type, id: "c", path: `/v1/entities/${type}/c` });
    await delivered([{ tenant: "default", type, id: "c", path: `/v1/entities/${type}/c` }]);
    await write(type, "f", { customer: "c-42", at: "2026-01" }); // the last, so nothing else is pending

    const live = await docs.count(6);
    expect(live.slice(1).map((m) => ({ ...m, updatedAt: undefined }))).toEqual([
      { type: "added", id: "c", version: 2, sort: "2026-04", body: { customer: "c-42", at: "2026-04" } },
      {
        type: "changed",
        id: "a",
        version: 2,
        sort: "2026-05",
        body: { customer: "c-42", at: "2026-05", n: 1 },
      },
      { type: "removed", id: "b", version: 2 },
      { type: "removed", id: "c", version: 3 },
      { type: "added", id: "f", version: 1, sort: "2026-01", body: { customer: "c-42", at: "2026-01" } },
    ]);
    expect(live[1]!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Without documents: the same changes, no bodies.
    const bare = await ids.count(6);
    expect(bare.slice(1).map((m) => [m.type, m.id, m.version, "body" in m])).toEqual([
      ["added", "c", 2, false],
      ["changed", "a", 2, false],
      ["removed", "b", 2, false],
      ["removed", "c", 3, false],
      ["added", "f", 1, false],
    ]);
    close(docs);
    close(ids);
  });

  it("tells a watcher nothing of another key held by the same shard", async () => {
    const type = await indexedType();
    const shard = await shardOf(type, "c-42");
    let neighbour = "";
    for (let i = 0; i < 10_000 && !neighbour; i++)
      if (i !== 42 && (await shardOf(type, `c-${i}`)) === shard) neighbour = `c-${i}`;
    expect(neighbour).not.toBe("");
    const w = await watch(watchPath(type, { where: { "/customer": "c-42" } }));
    expect(await w.next()).toEqual({ type: "page", items: [], cursor: null });
    await write(type, "x", { customer: neighbour, at: "1" });
    await write(type, "y", { customer: "c-42", at: "2" });
    await write(type, "x", { customer: "c-42", at: "3" }); // moves into the key
    await write(type, "y", { customer: neighbour, at: "4" }); // moves out of it
    expect((await w.count(4)).slice(1).map((m) => [m.type, m.id])).toEqual([
      ["added", "y"],
      ["added", "x"],
      ["removed", "y"],
    ]);
    close(w);
  });

  it("keeps its key and range across the shard's eviction (the filter lives with the connection)", async () => {
    const type = await indexedType();
    const w = await watch(
      watchPath(type, { where: { "/customer": "c-42" }, range: { lt: "5" }, include: "documents" }),
    );
    await w.next();
    const shard = (await shardsOf(type, INDEX))[await shardOf(type, "c-42")]!;
    await evictDurableObject(shard);
    await write(type, "a", { customer: "c-42", at: "6" }); // out of the range
    await write(type, "b", { customer: "c-42", at: "4" });
    expect((await w.count(2))[1]).toMatchObject({
      type: "added",
      id: "b",
      body: { customer: "c-42", at: "4" },
    });
    expect(w.messages).toHaveLength(2);
    close(w);
  });

  it("refuses a range too long to keep with the connection", async () => {
    const type = await indexedType();
    const res = await watchResponse(
      watchPath(type, { where: { "/customer": "c-1" }, range: { gte: "x".repeat(3000) } }),
    );
    expect(res.status).toBe(400);
    expect((await json<{ errors: { pointer: string }[] }>(res)).errors[0]!.pointer).toBe(
      "/query/query/range",
    );
  });

  it("streams over Server-Sent Events, with no event ids (it does not resume)", async () => {
    const type = await indexedType();
    await write(type, "a", { customer: "c-1", at: "1" });
    const res = await sseResponse(watchPath(type, { where: { "/customer": "c-1" } }));
    expect(res.status).toBe(200);
    const sse = readSse(res.body!);
    await sse.count(1);
    await write(type, "b", { customer: "c-1", at: "2" });
    const events = await sse.count(2);
    expect(events.map((e) => e.id)).toEqual([undefined, undefined]);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ type: "page", items: [{ id: "a", sort: "1" }] });
    expect(JSON.parse(events[1]!.data)).toMatchObject({ type: "added", id: "b", version: 1, sort: "2" });
    await sse.cancel();
  });

  it("refuses since and Last-Event-ID (a shard keeps no history), a malformed query, and a BUILDING index", async () => {
    const type = await indexedType();
    const q = { where: { "/customer": "c-1" } };
    const since = await watchResponse(`${watchPath(type, q)}&since=3`);
    expect(since.status).toBe(400);
    expect((await json<{ errors: { pointer: string }[] }>(since)).errors).toEqual([
      expect.objectContaining({ pointer: "/query/since" }),
    ]);
    const lastId = await sseResponse(watchPath(type, q), { headers: { "Last-Event-ID": "3" } });
    expect(lastId.status).toBe(400);
    expect((await json<{ errors: { pointer: string }[] }>(lastId)).errors[0]!.pointer).toBe(
      "/headers/last-event-id",
    );
    const wrongKey = await watchResponse(watchPath(type, { where: { "/nope": 1 } }));
    expect(wrongKey.status).toBe(400);
    expect((await json<{ errors: { pointer: string }[] }>(wrongKey)).errors.map((e) => e.pointer)).toContain(
      "/query/query/where/~1nope",
    );
    const unknownField = await watchResponse(watchPath(type, { ...q, extra: 1 }));
    expect((await json<{ errors: { pointer: string }[] }>(unknownField)).errors[0]!.pointer).toBe(
      "/query/query/extra",
    );
    const notJson = await watchResponse(`/v1/indexes/${type}/${INDEX}/query/watch?query=%7Bnope`);
    expect(notJson.status).toBe(400);
    expect(
      (
        await watchResponse(
          `/v1/indexes/${type}/no-such/query/watch?query=${encodeURIComponent(JSON.stringify(q))}`,
        )
      ).status,
    ).toBe(404);
    const building = newType("q");
    await defineIndex(building, INDEX, { keys: ["/customer"] });
    expect((await watchResponse(watchPath(building, q))).status).toBe(409);
  });

  it("ends with 4410 when the index is dropped", async () => {
    const type = await indexedType();
    const w = await watch(watchPath(type, { where: { "/customer": "c-1" } }));
    await w.next();
    expect((await api("DELETE", `/v1/indexes/${type}/${INDEX}`)).status).toBe(204);
    // The catalog retires the generation's shards in its next step (its alarm).
    await runDurableObjectAlarm(catalogObject(type));
    expect(await w.closed).toEqual({ code: 4410, reason: "the index was dropped or rebuilt: watch again" });
  });

  it("disconnects a revoked key's query watchers, and takes a ticket", async () => {
    const tenant = unique("tenant");
    const key = await issueKey(tenant);
    const type = await indexedType(tenant);
    const path = watchPath(type, { where: { "/customer": "c-1" } });
    const w = await watch(path, { key });
    await w.next();
    const issued = await api("POST", "/v1/tickets", { key, body: { watch: path.split("?")[0] } });
    expect(issued.status).toBe(201);
    const { ticket } = await json<{ ticket: string }>(issued);
    const byTicket = await watch(`${path}&ticket=${ticket}`, { key: null });
    expect(await byTicket.next()).toMatchObject({ type: "page" });
    expect((await api("DELETE", `/v1/keys/${key.split("_")[1]}`)).status).toBe(204);
    for (const x of [w, byTicket])
      expect(await x.closed).toEqual({ code: 4401, reason: "the API key was revoked" });
  });

  it("keeps tenants apart: another tenant's entities and indexes are not watched", async () => {
    const other = unique("tenant");
    const type = await indexedType();
    const w = await watch(watchPath(type, { where: { "/customer": "c-1" } }));
    await w.next();
    // The other tenant has no such index...
    expect(
      (await watchResponse(watchPath(type, { where: { "/customer": "c-1" } }), { tenant: other })).status,
    ).toBe(404);
    // ...and its entities of the same type and key reach nothing of ours.
    await write(type, "a", { customer: "c-1", at: "1" }, other);
    await write(type, "b", { customer: "c-1", at: "2" });
    expect((await w.count(2))[1]).toMatchObject({ type: "added", id: "b" });
    expect(w.messages).toHaveLength(2);
    close(w);
  });
});
