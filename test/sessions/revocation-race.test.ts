import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_TENANT } from "../../src/core/names";
import type { SessionObject } from "../../src/objects/session-object";
import { api, unique } from "../support/api";
import { createSession, sessionObject } from "./helpers";

describe("revocation races", () => {
  it("never returns a session from a GET that finishes or starts after the DELETE replied", async () => {
    for (let round = 0; round < 5; round++) {
      const s = await createSession({ subject: unique("u"), data: { secret: round } });
      let step = 0;
      let deletedAtStep = Number.POSITIVE_INFINITY;
      const reads: Promise<{ status: number; startedAt: number; finishedAt: number }>[] = [];
      const read = () => {
        const startedAt = step;
        reads.push(
          api("GET", `/v1/sessions/${s.id}`).then((r) => ({
            status: r.status,
            startedAt,
            finishedAt: ++step,
          })),
        );
      };
      for (let i = 0; i < 10; i++) read();
      const revoke = api("DELETE", `/v1/sessions/${s.id}`).then((r) => {
        deletedAtStep = ++step;
        return r;
      });
      for (let i = 0; i < 10; i++) read();
      expect((await revoke).status).toBe(204);
      for (let i = 0; i < 10; i++) read();
      const results = await Promise.all(reads);
      for (const r of results) {
        if (r.finishedAt > deletedAtStep || r.startedAt >= deletedAtStep) expect(r.status).toBe(404);
        else expect([200, 404]).toContain(r.status);
      }
      expect(results.filter((r) => r.startedAt >= deletedAtStep)).toHaveLength(10);
    }
  });

  it("re-checks after opening the data: a revocation committed meanwhile wins", async () => {
    const s = await createSession({ data: { secret: 1 } });
    const address = { tenant: DEFAULT_TENANT, id: s.id };
    // A fresh instance holds no data in memory (the create's did): its read has to open it.
    await evictDurableObject(sessionObject(s.id));
    const [read, revoked] = await runInDurableObject(sessionObject(s.id), (instance: SessionObject) =>
      // The read starts first and awaits WebCrypto; the revocation commits while it waits.
      Promise.all([instance.get(address), instance.revoke(address, { precondition: {}, requestId: "race" })]),
    );
    expect(revoked.outcome.ok).toBe(true);
    expect(read).toEqual({ ok: false, code: "not_found", detail: "no such session" });
  });

  it("refuses every session of a subject once log-out-everywhere has replied, even with reads in flight", async () => {
    const subject = unique("u");
    const sessions = await Promise.all([1, 2, 3, 4].map(() => createSession({ subject })));
    const inFlight = sessions.flatMap((s) => [1, 2, 3].map(() => api("GET", `/v1/sessions/${s.id}`)));
    const res = await api("DELETE", `/v1/subjects/${subject}/sessions`);
    expect(await res.json()).toEqual({ revoked: 4 });
    const after = await Promise.all(sessions.map((s) => api("GET", `/v1/sessions/${s.id}`)));
    expect(after.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    await Promise.all(inFlight);
  });
});
