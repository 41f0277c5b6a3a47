import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { behindItsBack } from "../support/tamper";
import { indexedIds, mergePatch, type SessionBody, sessionObject, storedRow } from "./helpers";

const create = (key: string, body: unknown, tenant?: string) =>
  api("POST", "/v1/sessions", { body, headers: { "Idempotency-Key": key }, ...(tenant ? { tenant } : {}) });

async function snapshot(res: Response) {
  return {
    status: res.status,
    body: await res.text(),
    etag: res.headers.get("ETag"),
    location: res.headers.get("Location"),
    type: res.headers.get("Content-Type"),
  };
}

describe("idempotent create", () => {
  it("replays the first reply byte for byte and creates one session", async () => {
    const key = unique("login");
    const subject = unique("u");
    const first = await create(key, { subject, data: { ip: "10.0.0.1" } });
    expect(first.status).toBe(201);
    const original = await snapshot(first);
    const again = await create(key, { subject, data: { ip: "10.0.0.1" } });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await snapshot(again)).toEqual(original);
    const id = (JSON.parse(original.body) as SessionBody).id;
    expect(await indexedIds(subject)).toEqual([id]);
  });

  it("replays the first reply even after the session changed", async () => {
    const key = unique("login");
    const first = await snapshot(await create(key, { data: { n: 0 } }));
    const { id } = JSON.parse(first.body) as SessionBody;
    expect((await api("PATCH", `/v1/sessions/${id}`, mergePatch({ n: 1 }))).status).toBe(200);
    expect(await snapshot(await create(key, { data: { n: 0 } }))).toEqual(first);
  });

  it("makes concurrent retries land on one session", async () => {
    const key = unique("login");
    const subject = unique("u");
    const replies = await Promise.all(Array.from({ length: 5 }, () => create(key, { subject })));
    const ids = new Set(await Promise.all(replies.map(async (r) => (await json<SessionBody>(r)).id)));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await indexedIds(subject)).toEqual([...ids]);
  });

  it("refuses the same key with a different request with 422, and changes nothing", async () => {
    const key = unique("login");
    const subjectA = unique("a");
    const subjectB = unique("b");
    const first = await json<SessionBody>(await create(key, { subject: subjectA }));
    const other = await create(key, { subject: subjectB });
    expect(other.status).toBe(422);
    expect(other.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await indexedIds(subjectB)).toEqual([]);
    expect(await indexedIds(subjectA)).toEqual([first.id]);
    expect((await create(key, {})).status).toBe(422);
  });

  it("scopes keys to a tenant: the same key in two tenants makes two sessions", async () => {
    const key = unique("login");
    const a = await json<SessionBody>(await create(key, {}, "tenant-a"));
    const b = await json<SessionBody>(await create(key, {}, "tenant-b"));
    expect(a.id).not.toBe(b.id);
  });

  it("never shows a revoked session again: a replay after revocation is the same 404", async () => {
    const key = unique("login");
    const { id } = await json<SessionBody>(await create(key, { data: { secret: 1 } }));
    expect((await api("DELETE", `/v1/sessions/${id}`)).status).toBe(204);
    const replay = await create(key, { data: { secret: 1 } });
    expect(replay.status).toBe(404);
    const { instance: _a, ...gone } = await json<Record<string, unknown>>(replay);
    const { instance: _b, ...unknown } = await json<Record<string, unknown>>(
      await api("GET", `/v1/sessions/${id}`),
    );
    expect(gone).toEqual(unknown);
  });

  it("never reissues a derived id, even after the key's record and the session are purged", async () => {
    const key = unique("login");
    const { id } = await json<SessionBody>(await create(key, {}));
    expect((await api("DELETE", `/v1/sessions/${id}`)).status).toBe(204);
    // Purge the revoked session, then let the idempotency record age out.
    await runDurableObjectAlarm(sessionObject(id));
    await behindItsBack(sessionObject(id), (state) => {
      state.storage.sql.exec("UPDATE idempotency SET created_at = 0");
    });
    await runDurableObjectAlarm(sessionObject(id));
    expect(await storedRow(id)).toBeNull();
    const reuse = await create(key, {});
    expect(reuse.status).toBe(422);
    expect((await api("GET", `/v1/sessions/${id}`)).status).toBe(404);
  });
});

describe("idempotent patch and delete", () => {
  it("replays a patch instead of applying it twice", async () => {
    const { id } = await json<SessionBody>(await api("POST", "/v1/sessions", { body: { data: { n: 0 } } }));
    const call = { ...mergePatch({ n: 1 }), headers: { "Idempotency-Key": "p1" } };
    const first = await snapshot(await api("PATCH", `/v1/sessions/${id}`, call));
    const again = await snapshot(await api("PATCH", `/v1/sessions/${id}`, call));
    expect(again).toEqual(first);
    expect((await json<SessionBody>(await api("GET", `/v1/sessions/${id}`))).version).toBe(2);
  });

  it("replays a delete as 204", async () => {
    const { id } = await json<SessionBody>(await api("POST", "/v1/sessions", { body: {} }));
    const call = { headers: { "Idempotency-Key": "d1" } };
    expect((await api("DELETE", `/v1/sessions/${id}`, call)).status).toBe(204);
    const again = await api("DELETE", `/v1/sessions/${id}`, call);
    expect(again.status).toBe(204);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
