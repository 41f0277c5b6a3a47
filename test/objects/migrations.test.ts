// Schema migrations, tested as they happen in production: the storage an object wrote under the
// previous schema (tables, the migration rows, the KV keys it kept then) is built in a real
// object, the object is restarted, and the new code opens it. Each case then reads, replays and
// writes through the Worker.
import {
  abortAllDurableObjects,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../src/config";
import { idempotencyDigests } from "../../src/crypto/idempotency-digests";
import { HELLO_WORLD, putMachine } from "../machines/support";
import { api, json, unique } from "../support/api";
import { expectProblem } from "../support/problem";

const sealer = () => getConfig(env).sealer!;

/** The digests the routes make for a client's key (write-request.ts). */
const clientDigests = (key: string, method: string, path: string, body: string, type = "application/json") =>
  idempotencyDigests("client", key, `${method}\n${path}\n\n${type}\n${body}`);

/**
 * Rewrites an object's storage in place, then restarts it, so its constructor migrates what it
 * finds. A subject still holds the RPC reply of the session it created (released when collected),
 * which keeps eviction waiting: it is restarted by aborting the objects instead. An older schema
 * has none of the later migrations either (idempotency_parts among them), so they go too.
 */
async function reopen(
  stub: DurableObjectStub,
  rewrite: (storage: DurableObjectStorage) => void | Promise<void>,
  restart: "evict" | "abort" = "evict",
) {
  await runInDurableObject(stub, async (_instance, state) => rewrite(state.storage));
  if (restart === "evict") await evictDurableObject(stub);
  else await abortAllDurableObjects();
}

const registered = (tenant: string) =>
  api("POST", "/v1/admin/reencrypt?limit=100", { tenant }).then((r) => json<{ done: number }>(r));

describe("EntityObject: schema 2 (replies with the fingerprint inside, the address under 'address')", () => {
  it("opens it: documents read, old replies replay and refuse, new writes continue the versions", async () => {
    const tenant = unique("mig");
    const id = unique("e");
    const path = `/v1/entities/doc/${id}`;
    const stub = env.ENTITIES.getByName(`${tenant}/doc/${id}`);
    const first = await api("PUT", path, { tenant, body: { a: 1 } });
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    const digests = await clientDigests("old-key", "PUT", path, '{"a":1}');
    const { outcome } = {
      outcome: {
        ok: true,
        value: { state: { version: 1, body: firstBody, updatedAt: 1, expiresAt: null }, created: true },
      },
    };
    const legacyReply = await sealer().seal(
      JSON.stringify({ outcome, requestId: "first-request", fingerprint: digests.fingerprint }),
      { tenant, kind: "idempotency", name: `doc/${id}`, version: digests.key },
    );
    await reopen(stub, (storage) => {
      storage.sql.exec("DROP TABLE idempotency");
      storage.sql.exec("DROP TABLE IF EXISTS idempotency_parts");
      storage.sql.exec("DELETE FROM _migrations WHERE version >= 3");
      storage.sql.exec(`CREATE TABLE idempotency (key TEXT PRIMARY KEY, reply TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX idempotency_created ON idempotency (created_at)`);
      storage.sql.exec("INSERT INTO idempotency VALUES (?, ?, ?)", digests.key, legacyReply, Date.now());
      storage.kv.delete("identity");
      storage.kv.put("address", { tenant, type: "doc", id });
    });

    expect(await json(await api("GET", path, { tenant }))).toEqual({ a: 1 });
    const replay = await api("PUT", path, {
      tenant,
      body: { a: 1 },
      headers: { "Idempotency-Key": "old-key" },
    });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await json(replay)).toEqual({ a: 1 });
    await expectProblem(
      await api("PUT", path, { tenant, body: { a: 2 }, headers: { "Idempotency-Key": "old-key" } }),
      422,
    );
    const next = await api("PUT", path, { tenant, body: { a: 3 } });
    expect(next.headers.get("ETag")).toBe('"2"');
    // The old address became the identity, and its registration follows from the alarm.
    await runDurableObjectAlarm(stub);
    expect((await registered(tenant)).done).toBe(1);
  });
});

describe("SessionObject: schema 1 (fingerprints in clear, replies dropped by op)", () => {
  it("opens it: the session reads, a clear-fingerprint reply replays, and a revocation withdraws it", async () => {
    const tenant = unique("mig");
    const created = await api("POST", "/v1/sessions", { tenant, body: { data: { n: 0 } } });
    const { id } = await json<{ id: string }>(created);
    const path = `/v1/sessions/${id}`;
    const patched = await api("PATCH", path, {
      tenant,
      body: { n: 1 },
      contentType: "application/merge-patch+json",
      headers: { "Idempotency-Key": "p-1" },
    });
    const firstPatch = await patched.text();
    const digests = await clientDigests("p-1", "PATCH", path, '{"n":1}', "application/merge-patch+json");
    const stub = env.SESSIONS.getByName(`${tenant}/${id}`);
    await reopen(stub, async (storage) => {
      const row = storage.sql.exec<{ reply: string }>("SELECT reply FROM idempotency").one();
      storage.sql.exec("DROP TABLE idempotency");
      storage.sql.exec("DROP TABLE IF EXISTS idempotency_parts");
      storage.sql.exec("DELETE FROM _migrations WHERE version >= 2");
      storage.sql.exec(`CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, op TEXT NOT NULL,
        reply TEXT, created_at INTEGER NOT NULL)`);
      storage.sql.exec(
        "INSERT INTO idempotency VALUES (?, ?, 'patch', ?, ?)",
        digests.key,
        digests.fingerprint,
        row.reply,
        Date.now(),
      );
      storage.kv.delete("identity");
    });

    expect((await json<{ data: unknown }>(await api("GET", path, { tenant }))).data).toEqual({ n: 1 });
    const call = {
      tenant,
      body: { n: 1 },
      contentType: "application/merge-patch+json",
      headers: { "Idempotency-Key": "p-1" },
    };
    const replay = await api("PATCH", path, call);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.text()).toBe(firstPatch);
    await expectProblem(await api("PATCH", path, { ...call, body: { n: 2 } }), 422);
    expect((await api("DELETE", path, { tenant })).status).toBe(204);
    await expectProblem(await api("PATCH", path, call), 404);
  });
});

describe("MachineObject, ExecutionObject and SubjectObject: schema 1 (no ledger, names in their own keys)", () => {
  it("opens a machine and an execution: both read, and new idempotent writes work", async () => {
    const tenant = unique("mig");
    const machine = unique("m");
    await putMachine(machine, HELLO_WORLD, tenant);
    const started = await api("POST", `/v1/machines/${machine}/executions`, {
      tenant,
      body: { name: "x", input: { IsHelloWorldExample: true } },
    });
    expect(started.status).toBe(201);
    await reopen(env.MACHINES.getByName(`${tenant}/${machine}`), (storage) => {
      storage.sql.exec("DROP TABLE idempotency");
      storage.sql.exec("DROP TABLE IF EXISTS idempotency_parts");
      storage.sql.exec("DELETE FROM _migrations WHERE version >= 2");
      storage.kv.delete("identity");
      storage.kv.put("name", { tenant, machine });
    });
    await reopen(env.EXECUTIONS.getByName(`${tenant}/${machine}/x`), (storage) => {
      storage.sql.exec("DROP TABLE idempotency");
      storage.sql.exec("DROP TABLE IF EXISTS idempotency_parts");
      storage.sql.exec("DELETE FROM _migrations WHERE version >= 2");
      storage.kv.delete("identity");
      storage.kv.put("meta", { tenant, machine, execution: "x", machineVersion: 1 });
    });

    const read = await json<{ version: number }>(await api("GET", `/v1/machines/${machine}`, { tenant }));
    expect(read.version).toBe(1);
    const described = await json<{ status: string }>(
      await api("GET", `/v1/machines/${machine}/executions/x`, { tenant }),
    );
    expect(described.status).toBe("RUNNING");
    const headers = { "Idempotency-Key": "stop-after-migration" };
    const stop = `/v1/machines/${machine}/executions/x/stop`;
    expect((await api("POST", stop, { tenant, headers })).status).toBe(200);
    expect((await api("POST", stop, { tenant, headers })).headers.get("Idempotent-Replayed")).toBe("true");
    const v2 = await api("PUT", `/v1/machines/${machine}`, {
      tenant,
      body: { ...HELLO_WORLD, Comment: "v2" },
      headers: { "Idempotency-Key": "v2" },
    });
    expect(v2.status).toBe(200);
  });

  it("opens a subject's index whose address was kept under 'address'", async () => {
    const tenant = unique("mig");
    const subject = unique("u");
    await api("POST", "/v1/sessions", { tenant, body: { subject } });
    await reopen(
      env.SUBJECTS.getByName(`${tenant}/${subject}`),
      (storage) => {
        storage.sql.exec("DROP TABLE idempotency");
        storage.sql.exec("DROP TABLE IF EXISTS idempotency_parts");
        storage.sql.exec("DELETE FROM _migrations WHERE version >= 2");
        storage.kv.delete("identity");
        storage.kv.put("address", { tenant, subject });
      },
      "abort",
    );
    const listed = await json<{ items: unknown[] }>(
      await api("GET", `/v1/subjects/${subject}/sessions`, { tenant }),
    );
    expect(listed.items).toHaveLength(1);
    const headers = { "Idempotency-Key": "out" };
    const out = await api("DELETE", `/v1/subjects/${subject}/sessions`, { tenant, headers });
    expect(await json(out)).toEqual({ revoked: 1 });
    const again = await api("DELETE", `/v1/subjects/${subject}/sessions`, { tenant, headers });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
