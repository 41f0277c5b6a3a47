// A session object keeps its row and its data in plaintext in memory (session-store.ts,
// newest-plaintext.ts), so a read of a current session reads and opens nothing. These tests go
// through the Worker and would fail if memory served what storage no longer holds: a refused or
// rolled-back patch, a revocation, another key ring, a patch that commits while a read is opening.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_TENANT } from "../../src/core/names";
import type { SessionObject } from "../../src/objects/session-object";
import { fetchWith, ringSecret, setObjectSecret } from "../security/support";
import { api, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { TEST_ENCRYPTION_KEYS } from "../support/test-secrets";
import { createSession, type SessionBody, sessionObject } from "./helpers";

const MERGE = "application/merge-patch+json";
const path = (id: string) => `/v1/sessions/${id}`;

async function read(id: string, tenant?: string) {
  const res = await api("GET", path(id), tenant ? { tenant } : {});
  return {
    status: res.status,
    etag: res.headers.get("ETag"),
    body: res.ok ? await json<SessionBody>(res) : null,
  };
}

const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  api("PATCH", path(id), { body, contentType: MERGE, headers });

describe("what a session object keeps in memory", () => {
  const errorLog = captureErrorLog();

  it("a refused patch leaves the data served as it was", async () => {
    const s = await createSession({ data: { n: 1 } });
    expect((await read(s.id)).body?.data).toEqual({ n: 1 });
    expect((await patch(s.id, { n: 2 }, { "If-Match": '"7"' })).status).toBe(412);
    // Too large once patched: decided after the data is opened, then refused.
    const big = await createSession({ data: { pad: "x".repeat(200_000) } });
    expect((await patch(big.id, { more: "y".repeat(70_000) })).status).toBe(413);
    expect((await read(big.id)).body?.data).toEqual({ pad: "x".repeat(200_000) });
    const after = await read(s.id);
    expect([after.etag, after.body?.data, after.body?.version]).toEqual(['"1"', { n: 1 }, 1]);
    expect((await patch(s.id, { n: 3 })).status).toBe(200);
    const patched = await read(s.id);
    expect([patched.etag, patched.body?.data]).toEqual(['"2"', { n: 3 }]);
  });

  it("a patch whose commit rolled back is never served", async () => {
    const s = await createSession({ data: { n: 1 } });
    expect((await read(s.id)).body?.data).toEqual({ n: 1 });
    const stub = sessionObject(s.id);
    // The idempotency record is written last in the commit's transaction: throwing there rolls
    // the whole transaction back, after the session's own writes ran (and were remembered).
    type Ledger = { ledger: { store: (record: unknown) => void } };
    const original = await runInDurableObject(stub, (instance: SessionObject) => {
      const ledger = (instance as unknown as Ledger).ledger;
      const store = ledger.store;
      ledger.store = () => {
        throw new Error("injected: the commit fails");
      };
      return store;
    });
    const failed = await patch(s.id, { n: 2 });
    expect(failed.status).toBe(500);
    await runInDurableObject(stub, (instance: SessionObject) => {
      (instance as unknown as Ledger).ledger.store = original;
    });
    const after = await read(s.id);
    expect([after.etag, after.body?.data]).toEqual(['"1"', { n: 1 }]);
    expect((await patch(s.id, { n: 3 }, { "If-Match": '"1"' })).status).toBe(200);
    expect((await read(s.id)).body?.data).toEqual({ n: 3 });
    expect(errorLog.lines().length).toBeGreaterThan(0);
  });

  it("a revocation ends what memory held: GET, PATCH and a second DELETE are 404", async () => {
    const s = await createSession({ data: { secret: "s" } });
    expect((await read(s.id)).status).toBe(200);
    expect((await api("DELETE", path(s.id))).status).toBe(204);
    expect((await read(s.id)).status).toBe(404);
    expect((await patch(s.id, { n: 1 })).status).toBe(404);
    expect((await api("DELETE", path(s.id))).status).toBe(404);
  });

  it("log-out-everywhere (the subject's index ending it) ends what memory held", async () => {
    const subject = unique("u");
    const s = await createSession({ subject, data: { secret: "s" } });
    expect((await read(s.id)).status).toBe(200);
    expect(await json(await api("DELETE", `/v1/subjects/${subject}/sessions`))).toEqual({ revoked: 1 });
    expect((await read(s.id)).status).toBe(404);
  });

  it("a patch committed while a read was opening: the read and every later one agree with storage", async () => {
    for (let round = 0; round < 3; round++) {
      const s = await createSession({ data: { n: 0 } });
      const stub = sessionObject(s.id);
      // A fresh instance holds nothing: its read opens the data, awaiting WebCrypto, while the patch commits.
      await evictDurableObject(stub);
      const address = { tenant: DEFAULT_TENANT, id: s.id };
      const [raced] = await runInDurableObject(stub, (instance: SessionObject) =>
        Promise.all([
          instance.get(address),
          instance.patch(address, { precondition: {}, requestId: "race", patch: '{"n":1}' }),
        ]),
      );
      expect(raced.ok).toBe(true);
      if (raced.ok) {
        const body = JSON.parse(raced.value.body) as SessionBody;
        expect(body.data).toEqual({ n: body.version - 1 });
      }
      const after = await read(s.id);
      expect([after.etag, after.body?.data]).toEqual(['"2"', { n: 1 }]);
    }
  });
});

describe("what a session object keeps, across key rings", () => {
  const errorLog = captureErrorLog();
  const tenant = unique("smem");
  const ORIGINAL = JSON.stringify(TEST_ENCRYPTION_KEYS);
  const under = (secret: string) => async (method: string, id: string) => {
    const res = await fetchWith({ ENCRYPTION_KEYS: secret }, method, path(id), { tenant });
    return { status: res.status, body: res.ok ? await json<SessionBody>(res) : await res.json() };
  };

  afterAll(async () => {
    await setObjectSecret("ENCRYPTION_KEYS", ORIGINAL);
  });

  it("a key dropped too early still shows, and a re-sealed session still opens once it is gone", async () => {
    const early = await createSession({ data: { v: "early" } }, { tenant });
    const rotated = await createSession({ data: { v: "rotated" } }, { tenant });
    for (const s of [early, rotated]) expect((await read(s.id, tenant)).body?.data).toEqual(s.data);

    // k1 leaves the ring before anything was re-sealed: memory must not hide that.
    const K2_ONLY = ringSecret("k2", ["k2"]);
    await setObjectSecret("ENCRYPTION_KEYS", K2_ONLY);
    const dropped = await under(K2_ONLY)("GET", early.id);
    expect(dropped.status).toBe(500);
    expect((dropped.body as { type: string }).type).toBe("urn:edgestate:problem:key-unavailable");
    expect(errorLog.serverProblems().map((l) => l.type)).toEqual(["key-unavailable"]);

    // Rotation as the README tells it: k2 primary beside k1, every stored value re-sealed.
    const ROTATING = ringSecret("k2", ["k1", "k2"]);
    await setObjectSecret("ENCRYPTION_KEYS", ROTATING);
    expect((await under(ROTATING)("GET", rotated.id)).body).toMatchObject({ data: { v: "rotated" } });
    for (let cursor: string | null = ""; cursor !== null; ) {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      const res = await fetchWith({ ENCRYPTION_KEYS: ROTATING }, "POST", `/v1/admin/reencrypt${query}`, {
        tenant,
      });
      expect(res.status, await res.clone().text()).toBe(200);
      cursor = (await json<{ cursor: string | null }>(res)).cursor;
    }
    await setObjectSecret("ENCRYPTION_KEYS", K2_ONLY);
    for (const s of [early, rotated]) {
      expect((await under(K2_ONLY)("GET", s.id)).body).toMatchObject({ data: s.data, version: 1 });
    }
  });
});
