import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WATCH_HEADER, type WatchRequest } from "../../src/core/watch/contract";
import { api, issueKey, json, unique } from "../support/api";
import { entityObject, newEntity } from "../support/entities";
import { readSse } from "./sse";
import { sseResponse, watch, watchResponse } from "./support";

const keyIdOf = (key: string) => key.split("_")[1]!;
const keyRecord = (key: string) => env.API_KEYS.getByName(`key/${keyIdOf(key)}`);
const watchedCount = (key: string) =>
  runInDurableObject(keyRecord(key), (instance) =>
    (instance as unknown as { store: { watchedCount(): number } }).store.watchedCount(),
  );

async function ticketFor(key: string, watchPath: string): Promise<string> {
  const res = await api("POST", "/v1/tickets", { key, body: { watch: watchPath } });
  expect(res.status).toBe(201);
  return (await json<{ ticket: string }>(res)).ticket;
}

describe("a revoked key's watchers", () => {
  it("are disconnected with 4401 when the key is revoked (the DELETE waits for it), over every transport", async () => {
    const tenant = unique("tenant");
    const key = await issueKey(tenant);
    const a = newEntity("doc", tenant);
    const b = newEntity("doc", tenant);
    const first = await watch(`${a.path}/watch`, { key });
    const second = await watch(`${b.path}/watch`, { key });
    const ticket = await ticketFor(key, `${a.path}/watch`);
    const byTicket = await watch(`${a.path}/watch?ticket=${ticket}`, { key: null });
    const other = await watch(`${a.path}/watch`, { key: await issueKey(tenant), tenant });
    const sse = readSse((await sseResponse(`${b.path}/watch`, { key })).body!);
    await Promise.all([first.next(), second.next(), byTicket.next(), other.next(), sse.count(1)]);
    expect(await watchedCount(key)).toBe(2);

    expect((await api("DELETE", `/v1/keys/${keyIdOf(key)}`)).status).toBe(204);
    // Each object closed them before answering the key's record, which answered before the reply.
    for (const w of [first, second, byTicket])
      expect(await w.closed).toEqual({ code: 4401, reason: "the API key was revoked" });
    await sse.ended;
    expect(sse.events.at(-1)).toEqual({
      event: "close",
      data: '{"code":4401,"reason":"the API key was revoked"}',
    });
    expect(await watchedCount(key)).toBe(0);

    // Another key's watcher of the same entity is untouched.
    await api("PUT", a.path, { body: { still: "here" }, tenant });
    expect(await other.next()).toMatchObject({ type: "version", body: { still: "here" } });
    other.ws.close(1000);
  });

  it("cannot start a watch even where the key is still cached: the object asks the key's record", async () => {
    const tenant = unique("tenant");
    const key = await issueKey(tenant);
    await api("DELETE", `/v1/keys/${keyIdOf(key)}`);
    const e = newEntity("doc", tenant);
    const request: WatchRequest = {
      address: { tenant, type: e.type, id: e.id },
      since: null,
      keyId: keyIdOf(key),
      transport: "websocket",
      resumed: false,
    };
    const res = await entityObject(e).fetch("https://watch.internal/", {
      headers: { Upgrade: "websocket", [WATCH_HEADER]: JSON.stringify(request) },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, code: "unauthorized" });
    expect((await watchResponse(`${e.path}/watch`, { key })).status).toBe(401);
  });

  it("leave no row in the key's record when the watch itself is refused", async () => {
    const key = await issueKey(unique("tenant"));
    const res = await watchResponse(`/v1/sessions/ses_${"n".repeat(43)}/watch`, { key });
    expect(res.status).toBe(404);
    expect(await watchedCount(key)).toBe(0);
  });

  it("are forgotten by the key's record once the last one closes", async () => {
    const tenant = unique("tenant");
    const key = await issueKey(tenant);
    const e = newEntity("doc", tenant);
    const one = await watch(`${e.path}/watch`, { key });
    const two = await watch(`${e.path}/watch`, { key });
    await Promise.all([one.next(), two.next()]);
    expect(await watchedCount(key)).toBe(1);
    one.ws.close(1000);
    await one.closed;
    expect(await watchedCount(key)).toBe(1);
    two.ws.close(1000);
    await expect.poll(() => watchedCount(key)).toBe(0);
  });
});
