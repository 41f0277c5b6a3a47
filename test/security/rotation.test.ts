import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { dumpEntityStorage, dumpKv, expectProblem, fetchWith, ringSecret, setObjectSecret } from "./support";

// One story, step by step, over the same storage: data written under k1; a redeploy makes k2 the
// primary (k1 still in the ring); the re-encryption endpoint converts everything; a redeploy
// without k1 still reads it all. "Redeploy" = the Worker's fetch with another ENCRYPTION_KEYS and
// the objects' shared env changed the same way (setObjectSecret).
const tenant = unique("rot");
const docs = new Map<string, unknown>();
const ROTATING = ringSecret("k2", ["k1", "k2"]);
const K2_ONLY = ringSecret("k2", ["k2"]);
const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);

async function deploy(secret: string) {
  await setObjectSecret("ENCRYPTION_KEYS", secret);
  return (method: string, path: string, call: Parameters<typeof fetchWith>[3] = {}) =>
    fetchWith({ ENCRYPTION_KEYS: secret }, method, path, { tenant, ...call });
}

/** Key ids of every sealed value an entity stores: its versions, replies and its KV copy. */
async function keyIds(type: string, id: string): Promise<string[]> {
  const raw = await dumpEntityStorage(`${tenant}/${type}/${id}`);
  const kv = await dumpKv(`e/${tenant}/${type}/${id}`);
  const sealed = [
    ...raw.tables.versions!.map((r) => r.body),
    ...raw.tables.idempotency!.map((r) => r.reply),
    ...kv.map((k) => k.value),
  ].filter((v): v is string => typeof v === "string");
  return [...new Set(sealed.map((s) => s.split(".")[1]!))].sort();
}

/**
 * Waits for every KV copy to be re-sealed under `keyId`. The object rewrites its copy after the
 * commit (waitUntil), or, within a second of its last KV write (KV's per-key write rate), from its
 * alarm at that second's end: polled here, with the alarm run whenever it is due.
 */
async function copiesUnder(keyId: string) {
  for (let tries = 0; ; tries++) {
    const copies = await dumpKv(`e/${tenant}/`);
    if (copies.length === docs.size && copies.every((c) => c.value?.startsWith(`es1.${keyId}.`))) return;
    if (tries > 150)
      throw new Error(`KV copies not re-sealed under ${keyId}: ${JSON.stringify(copies.map((c) => c.name))}`);
    await scheduler.wait(20);
    for (const key of docs.keys()) await runDurableObjectAlarm(env.ENTITIES.getByName(`${tenant}/${key}`));
  }
}

async function reencryptAll(call: ReturnType<typeof deploy> extends Promise<infer F> ? F : never) {
  let cursor: string | null = null;
  let done = 0;
  let reencrypted = 0;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res = await call("POST", `/v1/admin/reencrypt?limit=2${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = await json<{ done: number; reencrypted: number; cursor: string | null }>(res);
    done += page.done;
    reencrypted += page.reencrypted;
    cursor = page.cursor;
  } while (cursor !== null);
  return { done, reencrypted };
}

describe("key rotation k1 → k2", () => {
  // Dropping k1 too early makes 500s on purpose; each logs the missing key, captured here.
  const errorLog = captureErrorLog();

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const type = i % 2 ? "order" : "user";
      const id = `e${i}`;
      const body = { i, secret: `s-${i}` };
      const res = await api("PUT", `/v1/entities/${type}/${id}`, {
        tenant,
        body,
        headers: { "Idempotency-Key": `put-${i}` },
      });
      expect(res.status).toBe(201);
      docs.set(`${type}/${id}`, body);
      // An eventual read gives the entity a KV copy (the object's copy lease), sealed like the rest.
      await api("GET", `/v1/entities/${type}/${id}?consistency=eventual`, { tenant });
    }
    // Wait for every KV copy (the re-encryption job walks the KV index, written with them).
    for (let tries = 0; (await dumpKv(`e/${tenant}/`)).length < docs.size; tries++) {
      if (tries > 200) throw new Error("KV copies never appeared");
      await scheduler.wait(20);
    }
    for (const key of docs.keys()) {
      const [type, id] = key.split("/") as [string, string];
      expect(await keyIds(type, id)).toEqual(["k1"]);
    }
  });

  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
  });

  it("reads every document after k2 becomes primary", async () => {
    const call = await deploy(ROTATING);
    for (const [key, body] of docs) {
      const res = await call("GET", `/v1/entities/${key}`);
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual(body);
    }
  });

  it("writes under the primary: a new version is sealed with k2, older ones stay k1 until re-encrypted", async () => {
    const call = await deploy(ROTATING);
    const res = await call("PATCH", "/v1/entities/user/e0", {
      body: JSON.stringify({ touched: true }),
      contentType: "application/merge-patch+json",
      headers: { "Idempotency-Key": "patch-e0" },
    });
    expect(res.status).toBe(200);
    docs.set("user/e0", { ...(docs.get("user/e0") as object), touched: true });
    const raw = await dumpEntityStorage(`${tenant}/user/e0`);
    const byVersion = Object.fromEntries(
      raw.tables.versions!.map((r) => [r.version, String(r.body).split(".")[1]]),
    );
    expect(byVersion).toEqual({ 1: "k1", 2: "k2" });
    const replies = raw.tables.idempotency!.map((r) => String(r.reply).split(".")[1]).sort();
    expect(replies).toEqual(["k1", "k2"]);
    // The idempotent replay sealed under k1 still replays.
    const replay = await call("PUT", "/v1/entities/user/e0", {
      body: JSON.stringify({ i: 0, secret: "s-0" }),
      headers: { "Idempotency-Key": "put-0" },
    });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("refuses to drop k1 early: a value still under k1 is a 500 naming the missing key", async () => {
    const call = await deploy(K2_ONLY);
    const body = await expectProblem(await call("GET", "/v1/entities/user/e2"), 500);
    expect(body.type).toBe("urn:edgestate:problem:key-unavailable");
    expect(body.detail).toContain('"k1"');
    const job = await expectProblem(await call("POST", "/v1/admin/reencrypt"), 500);
    expect(job.detail).toContain('"k1"');
    // The log names the missing key too, for the operator who has to put it back.
    expect(errorLog.serverProblems().map((l) => [l.requestId, l.type, l.detail])).toEqual([
      [body.instance, "key-unavailable", body.detail],
      [job.instance, "key-unavailable", job.detail],
    ]);
  });

  it("re-encrypts every stored value of the tenant under k2, in batches", async () => {
    const call = await deploy(ROTATING);
    const first = await reencryptAll(call);
    expect(first.done).toBe(docs.size);
    // 5 entities × (version 1 + its reply), minus nothing: e0's k2 values were already current.
    expect(first.reencrypted).toBe(10);
    await copiesUnder("k2");
    for (const key of docs.keys()) {
      const [type, id] = key.split("/") as [string, string];
      expect(await keyIds(type, id)).toEqual(["k2"]);
    }
    // A second pass finds nothing left to do.
    expect((await reencryptAll(call)).reencrypted).toBe(0);
  });

  it("reads everything, history and replays included, once k1 has left the ring", async () => {
    const call = await deploy(K2_ONLY);
    for (const [key, body] of docs) {
      const res = await call("GET", `/v1/entities/${key}`);
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual(body);
      const eventual = await call("GET", `/v1/entities/${key}?consistency=eventual`);
      expect(await json(eventual)).toEqual(body);
    }
    const history = await call("GET", "/v1/entities/user/e0/history");
    expect(history.status).toBe(200);
    expect((await json<{ items: unknown[] }>(history)).items).toHaveLength(2);
    const replay = await call("PUT", "/v1/entities/order/e1", {
      body: JSON.stringify({ i: 1, secret: "s-1" }),
      headers: { "Idempotency-Key": "put-1" },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
  });

  it("is refused to keys without the admin scope", async () => {
    const res = await api("POST", "/v1/admin/reencrypt", {
      tenant,
      key: await api("POST", "/v1/keys", { body: { tenant, scopes: ["read", "write"] } })
        .then((r) => json<{ key: string }>(r))
        .then((k) => k.key),
    });
    await expectProblem(res, 403);
  });
});
