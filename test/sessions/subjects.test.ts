import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newSessionId } from "../../src/crypto/session-id";
import { api, json, unique } from "../support/api";
import {
  createSession,
  indexedIds,
  ManualClock,
  type SessionBody,
  sessionObject,
  subjectObject,
  useClock,
  useSubjectClock,
} from "./helpers";

const S = 1000;
type Listing = { items: { id: string; createdAt: string; expiresAt: string }[] };
const list = async (subject: string) => json<Listing>(await api("GET", `/v1/subjects/${subject}/sessions`));
const revokeAll = (subject: string) => api("DELETE", `/v1/subjects/${subject}/sessions`);

describe("GET /v1/subjects/{subject}/sessions", () => {
  it("lists a subject's live sessions, oldest first, with createdAt and expiresAt", async () => {
    const subject = unique("u");
    const a = await createSession({ subject });
    const b = await createSession({ subject });
    await createSession({ subject: unique("someone-else") });
    expect(await list(subject)).toEqual({
      items: [
        { id: a.id, createdAt: a.createdAt, expiresAt: a.expiresAt },
        { id: b.id, createdAt: b.createdAt, expiresAt: b.expiresAt },
      ],
    });
  });

  it("is empty for a subject that never had a session, and stores nothing for it", async () => {
    const subject = unique("nobody");
    expect(await list(subject)).toEqual({ items: [] });
    const tables = await runInDurableObject(subjectObject(subject), (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'sessions'").toArray(),
    );
    expect(tables).toEqual([]);
  });

  it("drops a revoked session from the index before the DELETE replies", async () => {
    const subject = unique("u");
    const a = await createSession({ subject });
    const b = await createSession({ subject });
    expect((await api("DELETE", `/v1/sessions/${a.id}`)).status).toBe(204);
    expect(await indexedIds(subject)).toEqual([b.id]);
    expect((await list(subject)).items.map((i) => i.id)).toEqual([b.id]);
  });

  it("leaves out an expired session at once and forgets it when it is purged", async () => {
    const subject = unique("u");
    const short = await createSession({ subject, ttl: 60 });
    const long = await createSession({ subject, ttl: 3600 });
    const clock = new ManualClock(Date.parse(short.createdAt));
    await useClock(short.id, clock);
    clock.advance(60 * S);
    expect((await list(subject)).items.map((i) => i.id)).toEqual([long.id]);
    expect(await indexedIds(subject)).toEqual([long.id]);
    // The purge then tells an index that already knows: still consistent.
    await runDurableObjectAlarm(sessionObject(short.id));
    expect(await indexedIds(subject)).toEqual([long.id]);
  });

  it("reports a sliding session's extended expiry, not the one it was created with", async () => {
    const subject = unique("u");
    const s = await createSession({ subject, ttl: 100 });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(50 * S);
    const read = await json<SessionBody>(await api("GET", `/v1/sessions/${s.id}`));
    expect(read.expiresAt).not.toBe(s.expiresAt);
    expect((await list(subject)).items[0]?.expiresAt).toBe(read.expiresAt);
  });

  it("drops an index row whose session never came to be (a create that failed half-way)", async () => {
    const subject = unique("u");
    const real = await createSession({ subject });
    const ghost = newSessionId();
    await runInDurableObject(subjectObject(subject), (_, state) => {
      state.storage.sql.exec(
        "INSERT INTO sessions (id, created_at, expires_at) VALUES (?, 0, ?)",
        ghost,
        Date.now() + 1e6,
      );
    });
    expect((await list(subject)).items.map((i) => i.id)).toEqual([real.id]);
    expect(await indexedIds(subject)).toEqual([real.id]);
  });

  it("refuses a malformed subject with 400", async () => {
    for (const bad of ["a%2Fb", "%20", "x".repeat(257)]) {
      const res = await api("GET", `/v1/subjects/${bad}/sessions`);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      expect((await revokeAll(bad)).status).toBe(400);
    }
  });
});

describe("DELETE /v1/subjects/{subject}/sessions", () => {
  it("revokes every session of the subject before replying, and only those", async () => {
    const subject = unique("u");
    const mine = await Promise.all([1, 2, 3].map(() => createSession({ subject })));
    const other = await createSession({ subject: unique("v") });
    const res = await revokeAll(subject);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 3 });
    for (const s of mine) expect((await api("GET", `/v1/sessions/${s.id}`)).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${other.id}`)).status).toBe(200);
    expect(await list(subject)).toEqual({ items: [] });
    expect(await json(await revokeAll(subject))).toEqual({ revoked: 0 });
  });

  it("counts only sessions that were live", async () => {
    const subject = unique("u");
    const a = await createSession({ subject, ttl: 60, sliding: false });
    await createSession({ subject });
    const clock = new ManualClock(Date.parse(a.createdAt));
    await useClock(a.id, clock);
    clock.advance(60 * S);
    expect(await json(await revokeAll(subject))).toEqual({ revoked: 1 });
  });

  it("lets a subject log in again afterwards", async () => {
    const subject = unique("u");
    await createSession({ subject });
    await revokeAll(subject);
    const again = await createSession({ subject });
    expect((await list(subject)).items.map((i) => i.id)).toEqual([again.id]);
  });
});

describe("the subject index alarm", () => {
  it("confirms rows past their known expiry: keeps extended sessions, drops ended ones, then deletes itself", async () => {
    const subject = unique("u");
    const clock = new ManualClock();
    const slidingOne = await createSession({ subject, ttl: 100 });
    const ending = await createSession({ subject, ttl: 100, sliding: false });
    clock.t = Date.parse(slidingOne.createdAt);
    await useClock(slidingOne.id, clock);
    await useClock(ending.id, clock);
    await useSubjectClock(subject, clock);
    clock.advance(50 * S);
    expect((await api("GET", `/v1/sessions/${slidingOne.id}`)).status).toBe(200); // extended to +150 s
    clock.advance(60 * S); // both rows' known expiry (+100 s) has passed
    expect(await runDurableObjectAlarm(subjectObject(subject))).toBe(true);
    expect(await indexedIds(subject)).toEqual([slidingOne.id]);

    clock.advance(100 * S);
    expect(await runDurableObjectAlarm(subjectObject(subject))).toBe(true);
    expect(await indexedIds(subject)).toEqual([]);
    const tables = await runInDurableObject(subjectObject(subject), (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'sessions'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});
