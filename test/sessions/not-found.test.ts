import { describe, expect, it } from "vitest";
import { newSessionId } from "../../src/crypto/session-id";
import { api, issueKey, unique } from "../support/api";
import {
  createSession,
  ManualClock,
  mergePatch,
  problemWithoutInstance,
  storedRow,
  useClock,
} from "./helpers";

describe("unknown, expired and revoked sessions", () => {
  it("are the same 404 for GET, PATCH and DELETE: no oracle", async () => {
    const revoked = await createSession({ data: { a: 1 } });
    expect((await api("DELETE", `/v1/sessions/${revoked.id}`)).status).toBe(204);
    const expired = await createSession({ ttl: 60 });
    const clock = new ManualClock();
    await useClock(expired.id, clock);
    clock.advance(60_000);
    const ids = {
      unknown: newSessionId(),
      malformed: "not-a-session",
      expired: expired.id,
      revoked: revoked.id,
    };

    for (const [method, call] of [
      ["GET", {}],
      ["PATCH", mergePatch({ a: 2 })],
      ["DELETE", {}],
    ] as const) {
      const bodies = [];
      for (const id of Object.values(ids)) {
        const res = await api(method, `/v1/sessions/${id}`, call);
        expect(res.status, `${method} ${id}`).toBe(404);
        bodies.push(await problemWithoutInstance(res));
      }
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect(bodies[0]).toEqual({
        type: "urn:edgestate:problem:not-found",
        title: "Not Found",
        status: 404,
        detail: "no such session",
      });
    }
  });

  it("refuses an expired session at once, before any alarm has purged it", async () => {
    const s = await createSession({ ttl: 60, sliding: false });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    clock.advance(59_999);
    expect((await api("GET", `/v1/sessions/${s.id}`)).status).toBe(200);
    clock.advance(1);
    expect((await api("GET", `/v1/sessions/${s.id}`)).status).toBe(404);
    expect(await storedRow(s.id)).not.toBeNull(); // still stored: the refusal did not wait for the alarm
  });

  it("does not leave a stored object behind when an unknown id is read", async () => {
    const id = newSessionId();
    expect((await api("GET", `/v1/sessions/${id}`)).status).toBe(404);
    expect((await api("PATCH", `/v1/sessions/${id}`, mergePatch({}))).status).toBe(404);
    expect(await storedRow(id)).toBeNull();
  });
});

describe("tenant isolation", () => {
  it("never lets one tenant read, change, revoke or list another tenant's sessions", async () => {
    const owner = unique("own");
    const intruder = unique("other");
    const subject = unique("u");
    const ownerKey = await issueKey(owner);
    const intruderKey = await issueKey(intruder);
    const s = await createSession({ subject, data: { a: 1 } }, { key: ownerKey });

    const read = await api("GET", `/v1/sessions/${s.id}`, { key: intruderKey });
    expect(read.status).toBe(404);
    expect(
      (await api("PATCH", `/v1/sessions/${s.id}`, { ...mergePatch({ a: 2 }), key: intruderKey })).status,
    ).toBe(404);
    expect((await api("DELETE", `/v1/sessions/${s.id}`, { key: intruderKey })).status).toBe(404);
    const list = await api("GET", `/v1/subjects/${subject}/sessions`, { key: intruderKey });
    expect(await list.json()).toEqual({ items: [] });
    expect(
      await (await api("DELETE", `/v1/subjects/${subject}/sessions`, { key: intruderKey })).json(),
    ).toEqual({
      revoked: 0,
    });
    // A tenant key cannot name another tenant either.
    expect((await api("GET", `/v1/sessions/${s.id}`, { key: intruderKey, tenant: owner })).status).toBe(403);

    const mine = await api("GET", `/v1/sessions/${s.id}`, { key: ownerKey });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ data: { a: 1 }, version: 1 });
  });
});
