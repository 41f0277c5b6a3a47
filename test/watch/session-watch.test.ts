import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createSession, ManualClock, sessionObject, storedRow, useClock } from "../sessions/helpers";
import { api, unique } from "../support/api";
import { watch, watchResponse } from "./support";

const patch = (id: string, body: unknown) =>
  api("PATCH", `/v1/sessions/${id}`, { body, contentType: "application/merge-patch+json" });

describe("watching a session", () => {
  it("starts with its data, then sees each change, then revoked, and the watch ends", async () => {
    const s = await createSession({ data: { name: "Ada" } });
    const w = await watch(`/v1/sessions/${s.id}/watch`);
    expect(await w.next()).toEqual({ type: "data", version: 1, data: { name: "Ada" } });
    await patch(s.id, { cart: 2 });
    expect(await w.next()).toEqual({ type: "data", version: 2, data: { name: "Ada", cart: 2 } });
    expect((await api("DELETE", `/v1/sessions/${s.id}`)).status).toBe(204);
    expect(await w.next()).toEqual({ type: "revoked" });
    expect(await w.closed).toEqual({ code: 1000, reason: "the session was revoked" });
  });

  it("hears a log-out-everywhere as revoked", async () => {
    const subject = unique("user");
    const s = await createSession({ subject });
    const w = await watch(`/v1/sessions/${s.id}/watch`);
    await w.next();
    expect((await api("DELETE", `/v1/subjects/${subject}/sessions`)).status).toBe(200);
    expect(await w.next()).toEqual({ type: "revoked" });
    expect((await w.closed).code).toBe(1000);
  });

  it("hears the expiry when the session's alarm ends it", async () => {
    const s = await createSession({ ttl: 60, sliding: false });
    const clock = new ManualClock(Date.parse(s.createdAt));
    await useClock(s.id, clock);
    const w = await watch(`/v1/sessions/${s.id}/watch`);
    await w.next();
    clock.advance(61_000);
    await runDurableObjectAlarm(sessionObject(s.id));
    expect(await w.next()).toEqual({ type: "expired" });
    expect(await w.closed).toEqual({ code: 1000, reason: "the session expired" });
  });

  it("resumes: nothing new at the current version, gap when versions were missed", async () => {
    const s = await createSession({ data: { v: 1 } });
    await patch(s.id, { v: 2 });
    await patch(s.id, { v: 3 });
    const current = await watch(`/v1/sessions/${s.id}/watch?since=3`);
    const behindByOne = await watch(`/v1/sessions/${s.id}/watch?since=2`);
    const behind = await watch(`/v1/sessions/${s.id}/watch?since=1`);
    await patch(s.id, { v: 4 });
    expect(await current.next()).toEqual({ type: "data", version: 4, data: { v: 4 } });
    expect(await behindByOne.count(2)).toEqual([
      { type: "data", version: 3, data: { v: 3 } },
      { type: "data", version: 4, data: { v: 4 } },
    ]);
    expect((await behind.count(3)).slice(0, 2)).toEqual([
      { type: "gap", oldest: 3 },
      { type: "data", version: 3, data: { v: 3 } },
    ]);
    for (const w of [current, behindByOne, behind]) w.ws.close(1000);
  });

  it("does not extend the session it watches", async () => {
    const s = await createSession({ ttl: 600 });
    // Half its ttl later: a read now would store a new expiry; a watch stores nothing.
    await useClock(s.id, new ManualClock(Date.parse(s.createdAt) + 300_000));
    const w = await watch(`/v1/sessions/${s.id}/watch`);
    await w.next();
    expect((await storedRow(s.id))?.expires_at).toBe(Date.parse(s.expiresAt));
    w.ws.close(1000);
  });

  it("is a 404 for an unknown, malformed or revoked session, as a read is", async () => {
    const s = await createSession();
    await api("DELETE", `/v1/sessions/${s.id}`);
    for (const id of [s.id, `ses_${"x".repeat(43)}`, "nope"]) {
      const res = await watchResponse(`/v1/sessions/${id}/watch`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ detail: "no such session" });
    }
  });
});
