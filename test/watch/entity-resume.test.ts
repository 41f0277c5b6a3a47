import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { entityObject, newEntity } from "../support/entities";
import { dataOf, readSse } from "./sse";
import { sseResponse, watch } from "./support";

const write = (path: string, n: number) => api("PUT", path, { body: { n } });

async function versions(path: string, count: number) {
  for (let n = 1; n <= count; n++) await write(path, n);
}

const sse = (path: string, headers: Record<string, string> = {}) => sseResponse(path, { headers });

describe("resuming an entity watch", () => {
  it("replays every kept version after since, then goes on live", async () => {
    const e = newEntity();
    await versions(e.path, 5);
    const w = await watch(`${e.path}/watch?since=2`);
    expect((await w.count(3)).map((m) => m.version)).toEqual([3, 4, 5]);
    await write(e.path, 6);
    expect(await w.next()).toMatchObject({ version: 3 });
    expect((await w.count(4))[3]).toMatchObject({ type: "version", version: 6, body: { n: 6 } });
    w.ws.close(1000);
  });

  it("sends nothing before the next change when since is the current version", async () => {
    const e = newEntity();
    await versions(e.path, 2);
    const w = await watch(`${e.path}/watch?since=2`);
    await write(e.path, 3);
    expect(await w.next()).toMatchObject({ type: "version", version: 3 });
    w.ws.close(1000);
  });

  it("says gap, with the oldest kept version, when since is older than the history", async () => {
    const e = newEntity();
    await versions(e.path, 3);
    await api("DELETE", e.path); // a delete keeps no content: only its tombstone (version 4)
    await write(e.path, 5);
    const w = await watch(`${e.path}/watch?since=1`);
    expect(await w.count(2)).toEqual([
      { type: "gap", oldest: 4 },
      expect.objectContaining({ type: "version", version: 5, body: { n: 5 } }),
    ]);
    w.ws.close(1000);
  });

  it("replays a delete as deleted, and a version after it", async () => {
    const e = newEntity();
    await versions(e.path, 2);
    await api("DELETE", e.path);
    await write(e.path, 4);
    const w = await watch(`${e.path}/watch?since=2`);
    expect(await w.count(2)).toEqual([
      { type: "deleted", version: 3 },
      expect.objectContaining({ type: "version", version: 4 }),
    ]);
    w.ws.close(1000);
  });

  it("treats a since beyond the current version as a gap", async () => {
    const e = newEntity();
    await versions(e.path, 1);
    const w = await watch(`${e.path}/watch?since=9`);
    expect(await w.count(2)).toEqual([{ type: "gap", oldest: 1 }, expect.objectContaining({ version: 1 })]);
    w.ws.close(1000);
  });

  it("tells watchers when the entity expires, and tells a resuming watcher again", async () => {
    const e = newEntity();
    const clock = new ManualClock();
    await useClock(entityObject(e), clock);
    await api("PUT", `${e.path}?ttl=60`, { body: { short: true } });
    const w = await watch(`${e.path}/watch`);
    expect(await w.next()).toMatchObject({ type: "version", version: 1 });
    clock.advance(61_000);
    await runDurableObjectAlarm(entityObject(e));
    expect(await w.next()).toEqual({ type: "expired" });
    const again = await watch(`${e.path}/watch?since=1`);
    expect(await again.next()).toEqual({ type: "expired" });
    const fresh = await watch(`${e.path}/watch`);
    expect(await fresh.next()).toEqual({ type: "expired" });
    for (const x of [w, again, fresh]) x.ws.close(1000);
  });

  it("streams the same messages as Server-Sent Events, with ids, and resumes from Last-Event-ID", async () => {
    const e = newEntity();
    await versions(e.path, 2);
    const res = await sse(`${e.path}/watch`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/event-stream; charset=utf-8");
    const stream = readSse(res.body!);
    await write(e.path, 3);
    const first = await stream.count(2);
    expect(first.map((event) => event.id)).toEqual(["2", "3"]);
    expect(dataOf(first)).toEqual([
      expect.objectContaining({ type: "version", version: 2, body: { n: 2 } }),
      expect.objectContaining({ type: "version", version: 3, body: { n: 3 } }),
    ]);
    await stream.cancel();

    await write(e.path, 4);
    // An EventSource reconnects with the URL it was opened with and the last id it saw.
    const resumed = readSse((await sse(`${e.path}/watch?since=0`, { "Last-Event-ID": "3" })).body!);
    expect(dataOf(await resumed.count(1))).toEqual([expect.objectContaining({ version: 4 })]);
    await resumed.cancel();
  });

  it("refuses a Last-Event-ID that is not a number", async () => {
    const res = await sse(`${newEntity().path}/watch`, { "Last-Event-ID": "abc" });
    expect(res.status).toBe(400);
  });
});
