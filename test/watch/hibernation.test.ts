import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PING } from "../../src/core/watch/contract";
import { api } from "../support/api";
import { entityObject, newEntity } from "../support/entities";
import { dataOf, readSse } from "./sse";
import { sseResponse, watch } from "./support";

describe("watchers and the object's eviction", () => {
  it("keeps WebSocket and SSE watchers across an eviction; they get the next change", async () => {
    const e = newEntity();
    await api("PUT", e.path, { body: { n: 1 } });
    const ws = await watch(`${e.path}/watch`);
    const res = await sseResponse(`${e.path}/watch`);
    const stream = readSse(res.body!);
    await ws.next();
    await stream.count(1);

    await evictDurableObject(entityObject(e));
    await api("PUT", e.path, { body: { n: 2 } });
    expect(await ws.next()).toMatchObject({ type: "version", version: 2, body: { n: 2 } });
    expect(dataOf(await stream.count(2))[1]).toMatchObject({ type: "version", version: 2 });

    // What each watcher was sent survives too: the next version follows on without a gap.
    await evictDurableObject(entityObject(e));
    await api("PUT", e.path, { body: { n: 3 } });
    expect(await ws.next()).toMatchObject({ version: 3 });
    ws.ws.close(1000);
    await stream.cancel();
  });

  it("answers a heartbeat while the object is evicted", async () => {
    const e = newEntity();
    const w = await watch(`${e.path}/watch`);
    await w.next();
    await evictDurableObject(entityObject(e));
    w.ws.send(PING);
    expect(await w.next()).toEqual({ type: "pong" });
    w.ws.close(1000);
  });

  it("closes a connection with 4409 when a fan-out was lost, rather than leave a hole", async () => {
    const e = newEntity();
    await api("PUT", e.path, { body: { n: 1 } });
    const w = await watch(`${e.path}/watch`);
    await w.next();
    // As if the isolate had died between version 2's commit and its announcement.
    const hub = await runInDurableObject(entityObject(e), (instance) => {
      const shell = instance as unknown as { watchers: unknown };
      const kept = shell.watchers;
      shell.watchers = null;
      return kept;
    });
    await api("PUT", e.path, { body: { n: 2 } });
    await runInDurableObject(entityObject(e), (instance) => {
      (instance as unknown as { watchers: unknown }).watchers = hub;
    });
    await api("PUT", e.path, { body: { n: 3 } });
    expect(await w.closed).toEqual({ code: 4409, reason: "messages were lost: resume with since=1" });
    expect(w.messages).toHaveLength(1);
    const resumed = await watch(`${e.path}/watch?since=1`);
    expect((await resumed.count(2)).map((m) => m.version)).toEqual([2, 3]);
    resumed.ws.close(1000);
  });

  it("closes a watcher that sends anything but a heartbeat", async () => {
    const w = await watch(`${newEntity().path}/watch`);
    w.ws.send("hello");
    expect((await w.closed).code).toBe(1003);
  });
});
