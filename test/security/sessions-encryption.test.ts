import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { captureErrorLog } from "../support/error-log";
import { expectProblem } from "../support/problem";
import { flipOneByte } from "../support/tamper";
import {
  dumpObject,
  execInSession,
  MERGE,
  seedSession,
  sessionObject,
  sessionRow,
  subjectObject,
} from "./sessions-support";
import { dumpKv } from "./support";

const SEALED = /^es1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

describe("sessions: encryption at rest", () => {
  // Tampering makes 500s on purpose; each logs its cause, captured here.
  const errorLog = captureErrorLog();

  it("leaves no trace of session data, an idempotent create reply or an Idempotency-Key in raw storage", async () => {
    const tenant = unique("senc");
    const subject = unique("user");
    const marker = `MARKER-${crypto.randomUUID()}`;
    const idempotencyKey = `idem-${marker}`;
    const create = await api("POST", "/v1/sessions", {
      tenant,
      body: { subject, data: { note: marker, nested: [marker, { deep: marker }] } },
      headers: { "Idempotency-Key": idempotencyKey },
    });
    expect(create.status).toBe(201);
    const { id } = await json<{ id: string }>(create);
    // The replay is served from the stored (sealed) reply: it must still carry the marker.
    const replay = await api("POST", "/v1/sessions", {
      tenant,
      body: { subject, data: { note: marker, nested: [marker, { deep: marker }] } },
      headers: { "Idempotency-Key": idempotencyKey },
    });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.text()).toContain(marker);
    const patch = await api("PATCH", `/v1/sessions/${id}`, {
      tenant,
      body: { more: `${marker}-2` },
      contentType: MERGE,
      headers: { "Idempotency-Key": `patch-${marker}` },
    });
    expect(patch.status).toBe(200);

    const session = await dumpObject(sessionObject(tenant, id));
    const index = await dumpObject(subjectObject(tenant, subject));
    const kv = await dumpKv("");
    const everything = JSON.stringify({ session, index, kv });
    expect(everything).not.toContain("MARKER");
    expect(everything).not.toContain(marker.slice(7, 20));

    // Every stored payload is a sealed value naming its key; the keys are digests.
    const [row] = session.tables.session as { data: string; version: number }[];
    expect(row!.version).toBe(2);
    expect(row!.data).toMatch(SEALED);
    const replies = session.tables.idempotency as { key: string; reply: string }[];
    expect(replies).toHaveLength(2);
    for (const r of replies) {
      expect(r.reply).toMatch(SEALED);
      expect(r.key).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(index.tables.sessions).toEqual([expect.objectContaining({ id })]);

    // …and yet the API reads it all back.
    const read = await json<{ data: unknown }>(await api("GET", `/v1/sessions/${id}`, { tenant }));
    expect(read.data).toEqual({ note: marker, nested: [marker, { deep: marker }], more: `${marker}-2` });
  });

  it("seals the same data twice to different ciphertexts (fresh IV per write)", async () => {
    const tenant = unique("senc");
    const a = await seedSession(tenant, { same: true });
    const b = await seedSession(tenant, { same: true });
    const iv = (row: Record<string, unknown> | null) => String(row?.data).split(".")[2];
    expect(iv(await sessionRow(a))).not.toBe(iv(await sessionRow(b)));
  });

  describe("tampering", () => {
    it("a flipped ciphertext byte is a clean 500 problem, and the session is not served or patched", async () => {
      const s = await seedSession(unique("senc"), { value: "original" });
      const [row] = await execInSession(s, "SELECT data FROM session");
      await execInSession(s, "UPDATE session SET data = ?", flipOneByte(String(row!.data)));
      const tampered = await sessionRow(s);

      const replies = [
        await api("GET", s.path, { tenant: s.tenant }),
        await api("GET", s.path, { tenant: s.tenant, headers: { "If-None-Match": '"1"' } }),
        await api("PATCH", s.path, { tenant: s.tenant, body: { x: 1 }, contentType: MERGE }),
      ];
      for (const res of replies) {
        const text = await res.clone().text();
        const body = await expectProblem(res, 500);
        expect(body.type).toBe("urn:edgestate:problem:undecryptable");
        expect(body.detail).toContain('key "k1"');
        expect(text).not.toContain("original");
        expect(text).not.toMatch(/es1\.k1\./);
        expect(errorLog.serverProblems()).toContainEqual(
          expect.objectContaining({ requestId: body.instance, type: "undecryptable" }),
        );
      }
      // Nothing was rewritten by the refused patch.
      expect(await sessionRow(s)).toEqual(tampered);
      // Revocation needs no data: it still works, and the session is gone.
      expect((await api("DELETE", s.path, { tenant: s.tenant })).status).toBe(204);
      await expectProblem(await api("GET", s.path, { tenant: s.tenant }), 404);
    });

    it("a tampered idempotent create reply is a 500 problem on replay, not a forged reply", async () => {
      const tenant = unique("senc");
      const call = { tenant, body: { data: { v: 1 } }, headers: { "Idempotency-Key": "k-1" } };
      const first = await api("POST", "/v1/sessions", call);
      expect(first.status).toBe(201);
      const { id } = await json<{ id: string }>(first);
      const [row] = await execInSession({ tenant, id }, "SELECT reply FROM idempotency");
      await execInSession(
        { tenant, id },
        "UPDATE idempotency SET reply = ?",
        flipOneByte(String(row!.reply)),
      );
      const body = await expectProblem(await api("POST", "/v1/sessions", call), 500);
      expect(body.type).toBe("urn:edgestate:problem:undecryptable");
    });

    it("a plaintext value in storage is refused, not served (no plaintext fallback)", async () => {
      const s = await seedSession(unique("senc"), { a: 1 });
      await execInSession(s, "UPDATE session SET data = ?", '{"a":"forged"}');
      const body = await expectProblem(await api("GET", s.path, { tenant: s.tenant }), 500);
      expect(body.detail).toContain("not a well-formed es1 sealed value");
    });

    it("ciphertext copied from another session, or from an older version, fails to open", async () => {
      const tenant = unique("senc");
      const victim = await seedSession(tenant, { owner: "victim" });
      const attacker = await seedSession(tenant, { owner: "attacker" });
      const [theirs] = await execInSession(attacker, "SELECT data FROM session");
      await execInSession(victim, "UPDATE session SET data = ?", theirs!.data);
      await expectProblem(await api("GET", victim.path, { tenant }), 500);

      const s = await seedSession(tenant, { balance: 100 });
      const [v1] = await execInSession(s, "SELECT data FROM session");
      const patched = await api("PATCH", s.path, { tenant, body: { balance: 0 }, contentType: MERGE });
      expect(patched.status).toBe(200);
      await execInSession(s, "UPDATE session SET data = ?", v1!.data);
      await expectProblem(await api("GET", s.path, { tenant }), 500);
    });

    it("ciphertext copied to the same session id in another tenant fails to open", async () => {
      const [t1, t2] = [unique("senc"), unique("senc")];
      const s1 = await seedSession(t1, { tenant: 1 });
      // The same id in another tenant (ids never collide through the API, so create it over RPC).
      const created = await sessionObject(t2, s1.id).create(
        { tenant: t2, id: s1.id },
        {
          precondition: {},
          requestId: crypto.randomUUID(),
          subject: null,
          data: '{"tenant":2}',
          lifetime: { ttl: 3600, absoluteTtl: 2_592_000, sliding: false },
        },
      );
      expect(created.outcome.ok).toBe(true);
      const s2 = { ...s1, tenant: t2 };
      expect((await api("GET", s2.path, { tenant: t2 })).status).toBe(200);
      const [theirs] = await execInSession(s1, "SELECT data FROM session");
      await execInSession(s2, "UPDATE session SET data = ?", theirs!.data);
      await expectProblem(await api("GET", s2.path, { tenant: t2 }), 500);
    });
  });
});
