// Key rotation, end to end, following the README's steps with every kind of data the service
// seals: entities (versions, history, idempotent replies, KV copies), sessions (data, replies),
// subjects (replies of "log out everywhere"), machines (definition versions, replies) and
// executions (snapshot, history, definition copy, replies), one of them still waiting on a timer.
// Then the old key leaves the ring: everything still reads, and no stored value names it.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executionObject, fireTimer, HELLO_WORLD } from "../machines/support";
import { api, json, unique } from "../support/api";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { fetchWith, ringSecret, sealedKeyIds, setObjectSecret } from "./support";

const tenant = unique("rotall");
const ROTATING = ringSecret("k2", ["k1", "k2"]);
const K2_ONLY = ringSecret("k2", ["k2"]);
const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);
const PASS_ONLY = { StartAt: "P", States: { P: { Type: "Pass", Result: { done: true }, End: true } } };

type Call = Parameters<typeof fetchWith>[3];
const write = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(method, path, { tenant, headers, ...(body === undefined ? {} : { body }) });

async function deploy(secret: string) {
  await setObjectSecret("ENCRYPTION_KEYS", secret);
  return (method: string, path: string, call: Call = {}) =>
    fetchWith({ ENCRYPTION_KEYS: secret }, method, path, call);
}

let session = "";
let subject = "";
let subjectSession = "";
let waiting = "";
const objects: DurableObjectStub[] = [];

describe("rotating k1 → k2 over every kind of sealed data", () => {
  beforeAll(async () => {
    // Entities: two versions, an idempotent reply, a KV copy; and a deleted one (its tombstone).
    expect(
      (await write("PUT", "/v1/entities/doc/e1", { v: 1 }, { "Idempotency-Key": "put-e1" })).status,
    ).toBe(201);
    const patch = await api("PATCH", "/v1/entities/doc/e1", {
      tenant,
      raw: '{"v":2}',
      contentType: "application/merge-patch+json",
    });
    expect(patch.status).toBe(200);
    expect((await write("GET", "/v1/entities/doc/e1?consistency=eventual")).status).toBe(200);
    await write("PUT", "/v1/entities/doc/gone", { bye: true });
    expect((await write("DELETE", "/v1/entities/doc/gone")).status).toBe(204);
    // Sessions: data, a reply; a subject's "log out everywhere" record.
    const created = await write(
      "POST",
      "/v1/sessions",
      { data: { secret: "s" } },
      { "Idempotency-Key": "login-1" },
    );
    session = (await json<{ id: string }>(created)).id;
    subject = unique("u");
    const withSubject = await write("POST", "/v1/sessions", { subject, data: { n: 1 } });
    subjectSession = (await json<{ id: string }>(withSubject)).id;
    const everywhere = await write("DELETE", `/v1/subjects/${subject}/sessions`, undefined, {
      "Idempotency-Key": "out-1",
    });
    expect(await json(everywhere)).toEqual({ revoked: 1 });
    // Machines: two versions, a reply; executions: one waiting on its timer, one ended.
    expect(
      (await write("PUT", "/v1/machines/hello", HELLO_WORLD, { "Idempotency-Key": "put-m" })).status,
    ).toBe(201);
    await write("PUT", "/v1/machines/hello", { ...HELLO_WORLD, Comment: "v2" });
    await write("PUT", "/v1/machines/pass", PASS_ONLY);
    const started = await write(
      "POST",
      "/v1/machines/hello/executions",
      { input: { IsHelloWorldExample: true } },
      {
        "Idempotency-Key": "start-1",
      },
    );
    waiting = (await json<{ name: string }>(started)).name;
    expect((await write("POST", "/v1/machines/pass/executions?wait=10", { name: "done" })).status).toBe(200);

    objects.push(
      env.ENTITIES.getByName(`${tenant}/doc/e1`),
      env.SESSIONS.getByName(`${tenant}/${session}`),
      env.SUBJECTS.getByName(`${tenant}/${subject}`),
      env.MACHINES.getByName(`${tenant}/hello`),
      executionObject("hello", waiting, tenant),
      executionObject("pass", "done", tenant),
    );
    for (const stub of objects) expect(await sealedKeyIds(stub)).toEqual(["k1"]);
  });

  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
  });

  it("re-encrypts every tenant the directory lists, then reads everything once k1 is gone", async () => {
    // Step 1: k2 becomes primary, k1 stays in the ring.
    const rotating = await deploy(ROTATING);
    // Step 2: every tenant, every batch, until the cursor is null; nothing unreached.
    const tenants = await json<{ items: string[] }>(await rotating("GET", "/v1/admin/tenants"));
    expect(tenants.items).toContain(tenant);
    for (const name of tenants.items) {
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const res = await rotating("POST", `/v1/admin/reencrypt?limit=2${query}`, { tenant: name });
        expect(res.status, await res.clone().text()).toBe(200);
        const page = await json<{ unreached: unknown[]; cursor: string | null }>(res);
        expect(page.unreached).toEqual([]);
        cursor = page.cursor;
      } while (cursor !== null);
    }
    for (const stub of objects) expect(await sealedKeyIds(stub)).toEqual(["k2"]);

    // Step 4: k1 leaves the ring.
    const after = await deploy(K2_ONLY);
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      after(method, path, { tenant, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    expect(await json(await call("GET", "/v1/entities/doc/e1"))).toEqual({ v: 2 });
    expect(await json(await call("GET", "/v1/entities/doc/e1?version=1"))).toEqual({ v: 1 });
    expect(await json(await call("GET", "/v1/entities/doc/e1?consistency=eventual"))).toEqual({ v: 2 });
    const history = await json<{ items: { body: unknown }[] }>(
      await call("GET", "/v1/entities/doc/e1/history"),
    );
    expect(history.items.map((i) => i.body)).toEqual([{ v: 2 }, { v: 1 }]);
    const entityReplay = await call("PUT", "/v1/entities/doc/e1", { v: 1 }, { "Idempotency-Key": "put-e1" });
    expect([entityReplay.status, entityReplay.headers.get("Idempotent-Replayed")]).toEqual([201, "true"]);

    expect((await json<{ data: unknown }>(await call("GET", `/v1/sessions/${session}`))).data).toEqual({
      secret: "s",
    });
    const login = await call(
      "POST",
      "/v1/sessions",
      { data: { secret: "s" } },
      { "Idempotency-Key": "login-1" },
    );
    // A derived session id follows the primary key (README), so this retry is a new create; the
    // first reply itself still opens, from the session object that holds it:
    expect(login.status).toBe(201);
    expect((await call("GET", `/v1/sessions/${subjectSession}`)).status).toBe(404);
    const outReplay = await call("DELETE", `/v1/subjects/${subject}/sessions`, undefined, {
      "Idempotency-Key": "out-1",
    });
    expect(outReplay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await json(outReplay)).toEqual({ revoked: 1 });

    const machine = await json<{ version: number }>(await call("GET", "/v1/machines/hello?version=1"));
    expect(machine.version).toBe(1);
    const machineReplay = await call("PUT", "/v1/machines/hello", HELLO_WORLD, {
      "Idempotency-Key": "put-m",
    });
    expect(machineReplay.headers.get("Idempotent-Replayed")).toBe("true");

    const startReplay = await call(
      "POST",
      "/v1/machines/hello/executions",
      { input: { IsHelloWorldExample: true } },
      { "Idempotency-Key": "start-1" },
    );
    expect(startReplay.status).toBe(201);
    expect((await json<{ name: string }>(startReplay)).name).toBe(waiting);
    expect((await call("GET", `/v1/machines/hello/executions/${waiting}/history`)).status).toBe(200);
    // The waiting execution carries on under k2 alone.
    await fireTimer(executionObject("hello", waiting, tenant));
    const ended = await json<{ status: string }>(
      await call("GET", `/v1/machines/hello/executions/${waiting}`),
    );
    expect(ended.status).toBe("SUCCEEDED");
    const done = await json<{ output: unknown }>(await call("GET", "/v1/machines/pass/executions/done"));
    expect(done.output).toEqual({ done: true });
  });
});
