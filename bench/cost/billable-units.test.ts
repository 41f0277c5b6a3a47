// Billable units per API operation, measured: Durable Object requests, SQLite rows read and
// written (cursor.rowsRead/rowsWritten plus the synchronous storage.kv API), alarms, and Workers
// KV operations. Prints a markdown table for BENCHMARKS.md; asserts only what must hold.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INDEX_REFRESH_MS } from "../../src/cache/list-lease";
import { shardOf } from "../../src/core/registry";
import { ApiKeyObject } from "../../src/objects/api-key-object";
import { EntityObject } from "../../src/objects/entity-object";
import { ExecutionObject } from "../../src/objects/execution-object";
import { IndexCatalog } from "../../src/objects/index-catalog";
import { IndexShard } from "../../src/objects/index-shard";
import { MachineObject } from "../../src/objects/machine-object";
import { sessionStub } from "../../src/objects/names";
import { SessionObject } from "../../src/objects/session-object";
import { SubjectObject } from "../../src/objects/subject-object";
import { ManualClock, useClock } from "../../test/support/clock";
import { TEST_ADMIN_KEY } from "../../test/support/test-secrets";
import { install, measure, type Units } from "./meter";

const DOC = { name: "Ada Lovelace", plan: "pro", n: 0 };
const rows: { op: string; units: Units }[] = [];
let key = "";

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${key}`, ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
  }
  const res = await exports.default.fetch(`https://edgestate.test${path}`, init);
  await res.arrayBuffer();
  return res;
}

/** waitUntil work (the KV copy) runs after the reply; give it a moment to land. */
const settle = () => new Promise<void>((r) => setTimeout(r, 150));
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function op(name: string, run: () => Promise<Response | unknown>, status?: number) {
  let seen: number | undefined;
  const units = await measure(async () => {
    const res = await run();
    if (res instanceof Response) seen = res.status;
  }, settle);
  if (status !== undefined) expect(seen, name).toBe(status);
  rows.push({ op: name, units });
  return units;
}

const entity = (tenant: string, id: string) => env.ENTITIES.getByName(`${tenant}/doc/${id}`);

describe("billable units per operation", () => {
  beforeAll(async () => {
    const res = await exports.default.fetch("https://edgestate.test/v1/keys", {
      method: "POST",
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ tenant: "cost", scopes: ["read", "write"], name: "cost" }),
    });
    key = ((await res.json()) as { key: string }).key;
    await runInDurableObject(entity("cost", "probe"), (_instance, state) =>
      install(state.storage, env.CACHE, {
        EntityObject: { cls: EntityObject, methods: ["get", "put", "patch", "delete", "history", "alarm"] },
        ApiKeyObject: { cls: ApiKeyObject, methods: ["read", "create", "revoke"] },
        SessionObject: {
          cls: SessionObject,
          methods: ["create", "get", "patch", "revoke", "end", "status", "alarm"],
        },
        SubjectObject: { cls: SubjectObject, methods: ["create", "list", "forget", "alarm"] },
        MachineObject: { cls: MachineObject, methods: ["put", "get", "remove"] },
        IndexCatalog: { cls: IndexCatalog, methods: ["define", "describe", "list", "alarm"] },
        IndexShard: { cls: IndexShard, methods: ["apply", "query", "count"] },
        ExecutionObject: {
          cls: ExecutionObject,
          methods: ["start", "describe", "history", "stop", "callback", "alarm"],
        },
      }),
    );
  });

  it("measures each entity operation", async () => {
    const path = "/v1/entities/doc/a";
    await op("first request with a new API key (GET, 404)", () => call("GET", path), 404);
    await op(
      "PUT, create (first object of the tenant: its registry's first use)",
      () => call("PUT", path, DOC),
      201,
    );
    // A steady-state create: the object already started (its migrations ran on a read) and its
    // registry shard already in use by this tenant.
    const shard = shardOf({ kind: "entity", name: "doc/a" });
    let n = 0;
    while (shardOf({ kind: "entity", name: `doc/b-${n}` }) !== shard) n++;
    await call("GET", `/v1/entities/doc/b-${n}`);
    await op(
      "PUT, create (object started, registry shard in use)",
      () => call("PUT", `/v1/entities/doc/b-${n}`, DOC),
      201,
    );
    await pause(1_100);
    // The type is not listed yet, and nobody reads the entity eventually: no KV write at all.
    const replace = await op(
      "PUT, replace (type nobody lists)",
      () => call("PUT", path, { ...DOC, n: 1 }),
      200,
    );
    expect(replace.rowsRead).toBeLessThanOrEqual(3);
    // One version row, nothing else: no operation writes a row it does not need.
    expect(replace.rowsWritten).toBe(1);
    expect(replace.kv.put ?? 0).toBe(0);
    expect(replace.crypto.decrypt ?? 0).toBe(0);
    const merge = await op(
      "PATCH, merge (type nobody lists)",
      () => call("PATCH", path, { n: 2 }, { "Content-Type": "application/merge-patch+json" }),
      200,
    );
    expect(merge.rowsRead).toBeLessThanOrEqual(3);
    expect(merge.rowsWritten).toBeLessThanOrEqual(2);
    // The document patched is the one the object holds: opening it again is not needed.
    expect(merge.crypto.decrypt ?? 0).toBe(0);
    await op(
      "PATCH, JSON Patch",
      () =>
        call("PATCH", path, [{ op: "replace", path: "/n", value: 3 }], {
          "Content-Type": "application/json-patch+json",
        }),
      200,
    );
    // The index entry was owed in memory: the object's alarm writes it within INDEX_REFRESH_MS.
    const clock = new ManualClock();
    await useClock(entity("cost", "a"), clock);
    clock.advance(INDEX_REFRESH_MS);
    await op("the owed index refresh (the alarm, ≤ 60 s later)", () =>
      runDurableObjectAlarm(entity("cost", "a")),
    );
    const strong = await op("GET, strong", () => call("GET", path), 200);
    expect(strong.rowsRead).toBeLessThanOrEqual(1);
    expect(strong.rowsWritten).toBe(0);
    expect(strong.crypto.decrypt ?? 0).toBe(0);
    await evictDurableObject(entity("cost", "a"));
    // Its constructor reads the schema version (once per start), then the newest row, and opens it.
    await op("GET, strong, first read after the object started", () => call("GET", path), 200);
    await op("GET, If-None-Match (304)", () => call("GET", path, undefined, { "If-None-Match": '"4"' }), 304);
    // Writes keep no KV copy until an eventual read misses and opens the copy lease.
    await op(
      "GET, eventual, KV miss (opens the copy lease, refills)",
      () => call("GET", `${path}?consistency=eventual`),
      200,
    );
    await pause(1_100);
    await op("GET, eventual, KV hit", () => call("GET", `${path}?consistency=eventual`), 200);
    await op("GET ?version=2", () => call("GET", `${path}?version=2`), 200);
    await op("GET history (20)", () => call("GET", `${path}/history`), 200);
    await op(
      "GET list (KV index; opens the type's list lease)",
      () => call("GET", "/v1/entities/doc?limit=10"),
      200,
    );
    await op("GET list again", () => call("GET", "/v1/entities/doc?limit=10"), 200);
    await pause(1_100);
    await op(
      "PUT, replace (type listed, copy lease open: both keys within a second)",
      () => call("PUT", path, { ...DOC, n: 4 }),
      200,
    );
    await pause(1_100);
    const idem = { "Idempotency-Key": "k-1" };
    await op("PUT with Idempotency-Key, first", () => call("PUT", path, { ...DOC, n: 5 }, idem), 200);
    const replay = await op(
      "PUT with Idempotency-Key, replay",
      () => call("PUT", path, { ...DOC, n: 5 }, idem),
      200,
    );
    const refused = await op(
      "PUT, If-Match stale (412)",
      () => call("PUT", path, DOC, { "If-Match": '"1"' }),
      412,
    );
    // A request that changes nothing writes nothing.
    expect(replay.rowsWritten).toBe(0);
    expect(refused.rowsWritten).toBe(0);
    await pause(1_100);
    await op("DELETE (6 versions kept)", () => call("DELETE", path), 204);
  });

  it("measures an index: indexed writes and queries", async () => {
    const doc = (customer: string, n: number) => ({ customer, at: `2026-01-0${n}`, total: n });
    await op(
      "index PUT (definition)",
      () => call("PUT", "/v1/indexes/order/by-customer", { keys: ["/customer"], sort: "/at" }),
      201,
    );
    for (let i = 0; i < 100; i++) {
      const catalog = env.INDEX_CATALOGS.getByName("cost/order");
      if (!(await runDurableObjectAlarm(catalog))) break;
    }
    await op(
      "PUT, create, type with one index",
      () => call("PUT", "/v1/entities/order/o-1", doc("c-1", 1)),
      201,
    );
    await pause(1_100);
    await op("PUT, replace, same key value", () => call("PUT", "/v1/entities/order/o-1", doc("c-1", 2)), 200);
    await pause(1_100);
    await op(
      "PUT, replace, another key value (moves shard)",
      () => call("PUT", "/v1/entities/order/o-1", doc("c-2", 3)),
      200,
    );
    const where = { where: { "/customer": "c-2" } };
    await op("index query, ids", () => call("POST", "/v1/indexes/order/by-customer/query", where), 200);
    await op(
      "index query, documents",
      () => call("POST", "/v1/indexes/order/by-customer/query", { ...where, include: "documents" }),
      200,
    );
    await pause(1_100);
    await op("DELETE, type with one index", () => call("DELETE", "/v1/entities/order/o-1"), 204);
  });

  it("measures sessions", async () => {
    let id = "";
    await op("session POST (with subject)", async () => {
      const res = await exports.default.fetch("https://edgestate.test/v1/sessions", {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ subject: "user-1", data: { role: "admin" }, ttl: 3600 }),
      });
      id = ((await res.json()) as { id: string }).id;
      return res;
    });
    // The object holds the row and the data its create just sealed: nothing is read or opened.
    for (const name of ["session GET (sliding)", "session GET again at once (sliding)"]) {
      const read = await op(name, () => call("GET", `/v1/sessions/${id}`), 200);
      expect(read.rowsRead, name).toBeLessThanOrEqual(1);
      expect(read.rowsWritten, name).toBe(0);
      expect(read.crypto.decrypt ?? 0, name).toBe(0);
    }
    await evictDurableObject(sessionStub(env, "cost", id));
    // Its constructor reads the schema version (once per start), then the row, and opens the data.
    await op(
      "session GET, first read after the object started",
      () => call("GET", `/v1/sessions/${id}`),
      200,
    );
    await op("subject's sessions, list", () => call("GET", "/v1/subjects/user-1/sessions"), 200);
    await op("session DELETE (revoke)", () => call("DELETE", `/v1/sessions/${id}`), 204);
  });

  it("measures a state machine execution", async () => {
    const States: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++)
      States[`S${i}`] = i === 4 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
    await op("machine PUT (5 Pass states)", () =>
      call("PUT", "/v1/machines/five", { StartAt: "S0", States }),
    );
    await op(
      "execution POST ?wait=60 (5 Pass states, to the end)",
      () => call("POST", "/v1/machines/five/executions?wait=60", { input: { n: 1 } }),
      200,
    );
  });

  afterAll(() => {
    const fmt = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([k, n]) => `${k} ×${n}`)
        .join(", ") || "–";
    const lines = [
      "| operation | DO requests | rows read | rows written | alarm ops | KV ops | crypto | rows written for | rows read for |",
      "|---|---|---|---|---|---|---|---|---|",
      ...rows.map(
        ({ op, units: u }) =>
          `| ${op} | ${fmt(u.doRequests)} | ${u.rowsRead} | ${u.rowsWritten} | ${fmt(u.alarms)} | ${fmt(u.kv)} | ${fmt(u.crypto)} | ${fmt(u.writes)} | ${fmt(u.reads)} |`,
      ),
    ];
    console.log(`\n${lines.join("\n")}\n`);
  });
});
