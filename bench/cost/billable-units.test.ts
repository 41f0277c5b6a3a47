// Billable units per API operation, measured: Durable Object requests, SQLite rows read and
// written (cursor.rowsRead/rowsWritten plus the synchronous storage.kv API), alarms, and Workers
// KV operations. Prints a markdown table for BENCHMARKS.md; asserts only what must hold.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeyObject } from "../../src/objects/api-key-object";
import { EntityObject } from "../../src/objects/entity-object";
import { ExecutionObject } from "../../src/objects/execution-object";
import { IndexCatalog } from "../../src/objects/index-catalog";
import { IndexShard } from "../../src/objects/index-shard";
import { MachineObject } from "../../src/objects/machine-object";
import { SessionObject } from "../../src/objects/session-object";
import { SubjectObject } from "../../src/objects/subject-object";
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
    await op("PUT, create", () => call("PUT", path, DOC), 201);
    await pause(1_100);
    const replace = await op(
      "PUT, replace (> 1 s after the last KV copy)",
      () => call("PUT", path, { ...DOC, n: 1 }),
      200,
    );
    // One version row, nothing else: no operation writes a row it does not need.
    expect(replace.rowsWritten).toBe(1);
    await op("PUT, replace (< 1 s after: KV copy deferred)", () => call("PUT", path, { ...DOC, n: 2 }), 200);
    // The runtime fires the alarm by itself about 1 s later; run it now if it has not yet.
    await op("deferred KV copy (the alarm, ≤ 1 s later)", async () => {
      await pause(1_200);
      await runDurableObjectAlarm(entity("cost", "a"));
    });
    await pause(1_100);
    await op(
      "PATCH, merge",
      () => call("PATCH", path, { n: 3 }, { "Content-Type": "application/merge-patch+json" }),
      200,
    );
    await pause(1_100);
    await op(
      "PATCH, JSON Patch",
      () =>
        call("PATCH", path, [{ op: "replace", path: "/n", value: 4 }], {
          "Content-Type": "application/json-patch+json",
        }),
      200,
    );
    expect((await op("GET, strong", () => call("GET", path), 200)).rowsWritten).toBe(0);
    await op("GET, If-None-Match (304)", () => call("GET", path, undefined, { "If-None-Match": '"5"' }), 304);
    // Writes keep no KV copy until an eventual read misses and opens the copy lease.
    await pause(1_100);
    await op(
      "GET, eventual, KV miss (opens the copy lease, refills)",
      () => call("GET", `${path}?consistency=eventual`),
      200,
    );
    await pause(1_100);
    await op("GET, eventual, KV hit", () => call("GET", `${path}?consistency=eventual`), 200);
    await op("GET ?version=2", () => call("GET", `${path}?version=2`), 200);
    await op("GET history (20)", () => call("GET", `${path}/history`), 200);
    await op("GET list (KV index)", () => call("GET", "/v1/entities/doc?limit=10"), 200);
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
    await op("DELETE", () => call("DELETE", path), 204);
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
    await op("session GET (sliding)", () => call("GET", `/v1/sessions/${id}`), 200);
    await op("session GET again at once (sliding)", () => call("GET", `/v1/sessions/${id}`), 200);
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
      "| operation | DO requests | rows read | rows written | alarm ops | KV ops | rows written for |",
      "|---|---|---|---|---|---|---|",
      ...rows.map(
        ({ op, units: u }) =>
          `| ${op} | ${fmt(u.doRequests)} | ${u.rowsRead} | ${u.rowsWritten} | ${fmt(u.alarms)} | ${fmt(u.kv)} | ${fmt(u.writes)} |`,
      ),
    ];
    console.log(`\n${lines.join("\n")}\n`);
  });
});
