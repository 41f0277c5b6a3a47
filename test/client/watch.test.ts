// Watches through the client: entities, sessions and executions as async iterators, resumed after
// a connection cut mid-stream (every version once, in order), ended by the server, failed by a
// revoked key; a ticket opens one watch without a key.
import {
  createClient,
  EdgestateError,
  type EntityWatchMessage,
  type ExecutionWatchMessage,
  type SessionWatchMessage,
} from "edgestate/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FaultProxy } from "./fault-proxy";
import { adminKey, baseUrl, client, unique } from "./support";

const es = client();
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await FaultProxy.start(baseUrl(), inject("proxyPort"));
});
afterAll(() => proxy.close());

/** Takes messages until `until` says stop (inclusive), running `act` after each one. */
async function collect<M>(
  watch: AsyncGenerator<M>,
  until: (m: M, all: M[]) => boolean,
  act: (m: M, all: M[]) => Promise<void> = async () => {},
): Promise<M[]> {
  const all: M[] = [];
  for await (const m of watch) {
    all.push(m);
    if (until(m, all)) break;
    await act(m, all);
  }
  return all;
}

describe("es.entities.watch", () => {
  it("waits for a missing entity, then sees each version, the delete, in order", async () => {
    const id = unique("w");
    const messages = await collect<EntityWatchMessage<{ n: number }>>(
      es.entities.watch("doc", id),
      (m) => m.type === "deleted",
      async (_, all) => {
        if (all.length === 1) await es.entities.put("doc", id, { n: 1 });
        else if (all.length === 2) await es.entities.patch("doc", id, { n: 2 });
        else if (all.length === 3) await es.entities.delete("doc", id);
      },
    );
    expect(messages).toEqual([
      { type: "missing" },
      expect.objectContaining({ type: "version", version: 1, op: "put", body: { n: 1 } }),
      expect.objectContaining({ type: "version", version: 2, op: "patch", body: { n: 2 } }),
      { type: "deleted", version: 3 },
    ]);
  });

  it("resumes after the connection is cut, from the last version it saw: each once, in order", async () => {
    const id = unique("w");
    await es.entities.put("doc", id, { n: 1 });
    const viaProxy = createClient({ url: proxy.url, key: adminKey(), retry: { baseDelayMs: 20 } });
    proxy.reset();
    proxy.next({ kind: "cut", events: 2 });
    const messages = await collect<EntityWatchMessage<{ n: number }>>(
      viaProxy.entities.watch("doc", id),
      (m) => m.type === "version" && m.version === 5,
      async (m) => {
        if (m.type === "version" && m.version === 1) await es.entities.put("doc", id, { n: 2 });
        if (m.type === "version" && m.version === 2) {
          // Written while the connection is down: the resumed watch replays them.
          for (const n of [3, 4, 5]) await es.entities.put("doc", id, { n });
        }
      },
    );
    expect(messages.map((m) => (m.type === "version" ? m.version : m.type))).toEqual([1, 2, 3, 4, 5]);
    const watches = proxy.seen.filter((s) => s.path.includes("/watch"));
    expect(watches.map((s) => s.path.split("?")[1] ?? "")).toEqual(["", "since=2"]);
  });

  it("a revoked key ends its watch with unauthorized", async () => {
    const issued = await es.keys.create({ tenant: "default", scopes: ["read"], name: unique("watcher") });
    const reader = createClient({ url: baseUrl(), key: issued.key });
    const id = unique("w");
    const watch = reader.entities.watch("doc", id);
    expect((await watch.next()).value).toEqual({ type: "missing" });
    await es.keys.revoke(issued.id);
    const e = await watch.next().then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(EdgestateError);
    expect(e).toMatchObject({ code: "unauthorized", detail: expect.stringContaining("4401") });
  });

  it("the caller's signal ends a watch", async () => {
    const controller = new AbortController();
    const watch = es.entities.watch("doc", unique("w"), { signal: controller.signal });
    expect((await watch.next()).value).toEqual({ type: "missing" });
    setTimeout(() => controller.abort(), 100);
    expect(await watch.next()).toEqual({ done: true, value: undefined });
  });
});

describe("es.sessions.watch and es.executions.watch", () => {
  it("a session's changes, then revoked, and the watch is over", async () => {
    const session = await es.sessions.create({ data: { theme: "light" } });
    const messages = await collect<SessionWatchMessage>(
      es.sessions.watch(session.id),
      () => false,
      async (m) => {
        if (m.type === "data" && m.version === 1) await es.sessions.patch(session.id, { theme: "dark" });
        if (m.type === "data" && m.version === 2) await es.sessions.revoke(session.id);
      },
    );
    expect(messages).toEqual([
      { type: "data", version: 1, data: { theme: "light" } },
      { type: "data", version: 2, data: { theme: "dark" } },
      { type: "revoked" },
    ]);
  });

  it("an execution's status, its events as they commit, its final status, then the end", async () => {
    const machine = unique("m");
    await es.machines.put(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await es.executions.start(machine, { name: "run" });
    const messages = await collect<ExecutionWatchMessage>(es.executions.watch(machine, "run"), () => false);
    const last = messages.at(-1)!;
    expect(last).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
    const events = messages.flatMap((m) => (m.type === "event" ? [m.event.type] : []));
    expect(events.at(0)).toBe("ExecutionStarted");
    expect(events.at(-1)).toBe("ExecutionSucceeded");
  });
});

describe("es.tickets", () => {
  it("a ticket opens one watch without a key, once", async () => {
    const id = unique("w");
    const watchPath = `/v1/entities/doc/${id}/watch`;
    const { ticket } = await es.tickets.create(watchPath, { ttl: 30 });
    const open = () =>
      fetch(`${baseUrl()}${watchPath}?ticket=${encodeURIComponent(ticket)}`, {
        headers: { Accept: "text/event-stream" },
      });
    const first = await open();
    expect(first.status).toBe(200);
    const reader = first.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('{"type":"missing"}');
    await reader.cancel();
    expect((await open()).status).toBe(401);
  });
});
