// A query watcher being admitted must not miss what happens meanwhile. The shard reads the page
// when the watch arrives and accepts the socket only after the hub has asked the key's record (an
// RPC, during which other requests run on the shard). A change applied in that window must still
// be announced (with its body, if the watcher asked for documents), and a drop of the index in it
// must close the new watcher with 4410. The key's record is slowed down here to hold the window
// open; on the platform it is one round trip.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { newType, put } from "../support/entities";
import { buildToEnd, catalogObject, defineIndex, delivered, page } from "../support/indexes";
import { accepted, watchResponse } from "./support";

const INDEX = "by-customer";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function slowKeyRecord(key: string, ms: number): Promise<() => Promise<void>> {
  const keyId = key.split("_")[1]!;
  let restore: () => void = () => {};
  await runInDurableObject(env.API_KEYS.getByName(`key/${keyId}`), (instance) => {
    const proto = Object.getPrototypeOf(instance) as { watching(this: unknown, x: unknown): Promise<string> };
    const original = proto.watching;
    proto.watching = async function (this: unknown, x: unknown) {
      await sleep(ms);
      return original.call(this, x);
    };
    restore = () => {
      proto.watching = original;
    };
  });
  return async () =>
    runInDurableObject(env.API_KEYS.getByName(`key/${keyId}`), () => {
      restore();
    });
}

/** A tenant with a key of its own, and a type with an ACTIVE index on /customer sorted by /at. */
async function indexedTypeOfNewTenant() {
  const tenant = unique("tenant");
  const key = await issueKey(tenant);
  const call = { tenant };
  const type = newType("q");
  expect((await defineIndex(type, INDEX, { keys: ["/customer"], sort: "/at" }, call)).status).toBe(201);
  await buildToEnd(type, INDEX, tenant);
  return { tenant, key, call, type };
}

describe("a query watcher being admitted", () => {
  it("a change applied while a tenant key's first watcher is being admitted is announced", async () => {
    const { tenant, key, call, type } = await indexedTypeOfNewTenant();

    // The key's record answers "admitted" a little slowly (a busy or distant object).
    // RPC methods are looked up on the prototype: wrapped there (this isolate, this test only).
    const restore = await slowKeyRecord(key, 400);

    const q = { where: { "/customer": "c-1" } };
    const path = `/v1/indexes/${type}/${INDEX}/query/watch?query=${encodeURIComponent(JSON.stringify(q))}`;
    const opening = watchResponse(path, { key });
    await sleep(100); // the watch has reached the shard, its page (empty) is read
    const ref = { tenant, type, id: "o-1", path: `/v1/entities/${type}/o-1` };
    expect((await put(ref, { customer: "c-1", at: "2026-01" }, { key })).status).toBe(201);
    await delivered([ref]);
    // it is in the index: a query lists it
    const listed = await page(type, INDEX, q, call);
    expect(listed.items.map((i) => i.id)).toEqual(["o-1"]);
    const res = await opening;
    expect(res.status).toBe(101);
    const w = accepted(res.webSocket!);
    await sleep(800);
    const seen = w.messages;
    w.ws.close(1000);
    // the page, and o-1 either in it or announced as added
    const inPage = (seen[0]?.items as { id: string }[] | undefined)?.some((i) => i.id === "o-1") ?? false;
    const added = seen.some((m) => m.type === "added" && m.id === "o-1");
    await restore();
    expect({ seen, heard: inPage || added }).toMatchObject({ heard: true });
  });

  it("a watcher being admitted while the index is dropped is closed with 4410, not left on a dead shard", async () => {
    const { tenant, key, type } = await indexedTypeOfNewTenant();
    const restore = await slowKeyRecord(key, 600);
    const q = { where: { "/customer": "c-1" } };
    const path = `/v1/indexes/${type}/${INDEX}/query/watch?query=${encodeURIComponent(JSON.stringify(q))}`;
    const opening = watchResponse(path, { key });
    await sleep(100);
    expect((await api("DELETE", `/v1/indexes/${type}/${INDEX}`, { key })).status).toBe(204);
    await runDurableObjectAlarm(catalogObject(type, tenant));
    const res = await opening;
    await restore();
    // Either refused (404: no such index) or accepted and then closed with 4410.
    if (res.status !== 101) {
      expect(res.status).toBe(404);
      return;
    }
    const w = accepted(res.webSocket!);
    // the index is gone: a new watch is a 404, yet this one was accepted on the retired shard
    expect((await watchResponse(path, { key })).status).toBe(404);
    const closed = await Promise.race([w.closed, sleep(2000).then(() => "still open after 2 s")]);
    w.ws.close(1000);
    expect(closed).toEqual({ code: 4410, reason: "the index was dropped or rebuilt: watch again" });
  });

  it("a documents watcher being admitted gets the body of a change applied meanwhile", async () => {
    const { tenant, key, type } = await indexedTypeOfNewTenant();
    const q = { where: { "/customer": "c-1" } };
    const url = (body: unknown) =>
      `/v1/indexes/${type}/${INDEX}/query/watch?query=${encodeURIComponent(JSON.stringify(body))}`;
    // an ids-only watcher is already there (so the shard does announce), with the root key
    const idsRes = await watchResponse(url(q), { tenant });
    const ids = accepted(idsRes.webSocket!);
    await ids.next();
    const restore = await slowKeyRecord(key, 400);
    const opening = watchResponse(url({ ...q, include: "documents" }), { key });
    await sleep(100);
    const ref = { tenant, type, id: "o-1", path: `/v1/entities/${type}/o-1` };
    expect((await put(ref, { customer: "c-1", at: "2026-01" }, { key })).status).toBe(201);
    await delivered([ref]);
    const res = await opening;
    await restore();
    const w = accepted(res.webSocket!);
    await sleep(500);
    const seen = w.messages;
    w.ws.close(1000);
    ids.ws.close(1000);
    // o-1 with its body, in the page (if the write came first after all) or announced as added
    const body = { customer: "c-1", at: "2026-01" };
    const pageItems = (seen[0]?.items ?? []) as { id: string; body?: unknown }[];
    const heard = [...pageItems, ...seen.filter((m) => m.type === "added")].find((m) => m.id === "o-1");
    expect({ heard, first: seen[0]?.type }).toMatchObject({ heard: { body }, first: "page" });
  });
});
