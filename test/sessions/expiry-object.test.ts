import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import {
  createSession,
  indexedIds,
  ManualClock,
  type SessionBody,
  sessionObject,
  storedRow,
  useClock,
  useSubjectClock,
} from "./helpers";

const S = 1000;
const read = async (id: string) => {
  const res = await api("GET", `/v1/sessions/${id}`);
  return { status: res.status, body: res.status === 200 ? await json<SessionBody>(res) : null };
};

describe("sliding expiry (time moved by an injected clock)", () => {
  it("extends expiresAt to now + ttl, storing it only once ttl/10 has passed", async () => {
    const s = await createSession({ ttl: 1000 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    const created = Date.parse(s.createdAt);

    clock.advance(99 * S); // under a tenth of ttl: no write, the stored expiry is reported
    expect((await read(s.id)).body?.expiresAt).toBe(s.expiresAt);
    expect((await storedRow(s.id))?.expires_at).toBe(created + 1000 * S);

    clock.advance(1 * S); // a tenth: stored
    const extended = await read(s.id);
    expect(extended.body?.expiresAt).toBe(new Date(created + 1100 * S).toISOString());
    expect((await storedRow(s.id))?.expires_at).toBe(created + 1100 * S);
    expect(extended.body?.version).toBe(1); // extension is not a data version

    clock.advance(50 * S); // only 50 s since the last stored extension
    expect((await read(s.id)).body?.expiresAt).toBe(new Date(created + 1100 * S).toISOString());
  });

  it("keeps a session alive while it is used, and lets it lapse ttl after the last stored use", async () => {
    const s = await createSession({ ttl: 60 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    for (let i = 0; i < 10; i++) {
      clock.advance(50 * S);
      expect((await read(s.id)).status).toBe(200);
    }
    clock.advance(60 * S);
    expect((await read(s.id)).status).toBe(404);
  });

  it("never extends past absoluteExpiresAt, and refuses the session from then on", async () => {
    const s = await createSession({ ttl: 60, absoluteTtl: 100 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(50 * S);
    expect((await read(s.id)).body?.expiresAt).toBe(s.absoluteExpiresAt);
    clock.advance(49 * S);
    expect((await read(s.id)).body?.expiresAt).toBe(s.absoluteExpiresAt);
    clock.advance(1 * S);
    expect((await read(s.id)).status).toBe(404);
  });

  it("does not extend a session created with sliding: false", async () => {
    const s = await createSession({ ttl: 60, sliding: false });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(59 * S);
    expect((await read(s.id)).body?.expiresAt).toBe(s.expiresAt);
    clock.advance(1 * S);
    expect((await read(s.id)).status).toBe(404);
  });

  it("counts a patch as a use", async () => {
    const s = await createSession({ ttl: 100 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(90 * S);
    const res = await api("PATCH", `/v1/sessions/${s.id}`, {
      body: { a: 1 },
      contentType: "application/merge-patch+json",
    });
    expect((await json<SessionBody>(res)).expiresAt).toBe(
      new Date(Date.parse(s.createdAt) + 190 * S).toISOString(),
    );
    clock.advance(50 * S);
    expect((await read(s.id)).status).toBe(200);
  });
});

describe("alarms", () => {
  it("purge an expired session and remove it from its subject's index", async () => {
    const subject = unique("u");
    const s = await createSession({ subject, ttl: 60 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    await useSubjectClock(subject, clock);
    clock.advance(60 * S);
    // Refused and unlisted at once; still indexed until the purge.
    expect((await read(s.id)).status).toBe(404);
    expect(await indexedIds(subject)).toEqual([s.id]);
    expect(await runDurableObjectAlarm(sessionObject(s.id))).toBe(true);
    expect(await storedRow(s.id)).toBeNull();
    expect(await indexedIds(subject)).toEqual([]);
  });

  it("re-arm for the new expiry when the session was extended since", async () => {
    const s = await createSession({ ttl: 100 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(50 * S);
    expect((await read(s.id)).status).toBe(200); // stored extension to +150 s
    clock.advance(60 * S); // past the first expiry, before the extended one
    expect(await runDurableObjectAlarm(sessionObject(s.id))).toBe(true);
    expect(await storedRow(s.id)).not.toBeNull();
    expect((await read(s.id)).status).toBe(200);
  });

  it("delete every stored byte of a session without an idempotency key once it ends", async () => {
    const s = await createSession({});
    expect((await api("DELETE", `/v1/sessions/${s.id}`)).status).toBe(204);
    await runDurableObjectAlarm(sessionObject(s.id));
    const tables = await runInDurableObject(sessionObject(s.id), (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables.filter((t) => !String(t.name).startsWith("_cf"))).toEqual([]);
    expect(await runDurableObjectAlarm(sessionObject(s.id))).toBe(false);
  });
});
