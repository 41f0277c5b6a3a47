import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SEALED_PREFIX } from "../../src/crypto";
import { api, unique } from "../support/api";
import {
  createSession,
  ManualClock,
  mergePatch,
  sessionObject,
  storedRow,
  subjectObject,
  useClock,
} from "./helpers";

/** Every value in every table of an object's SQLite storage, as one string. */
function dump(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_instance: unknown, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((t) => t.name)
      .filter((name) => !name.startsWith("_cf_")); // workerd's own tables (kv is listed below)
    const rows = tables.flatMap((name) => state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray());
    const kv = [...state.storage.kv.list()];
    return JSON.stringify({ tables, rows, kv });
  });
}

describe("session data at rest", () => {
  it("is stored only as ciphertext: rows, idempotency replies and the subject index hold no plaintext", async () => {
    const marker = `MARKER-${crypto.randomUUID()}`;
    const subject = unique("u");
    const res = await api("POST", "/v1/sessions", {
      body: { subject, data: { note: marker } },
      headers: { "Idempotency-Key": unique("k") },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const patched = await api("PATCH", `/v1/sessions/${id}`, {
      ...mergePatch({ again: `${marker}-2` }),
      headers: { "Idempotency-Key": unique("p") },
    });
    expect(patched.status).toBe(200);

    const session = await dump(sessionObject(id));
    expect(session).toContain("session"); // the row is there…
    expect(session).toContain(`"${SEALED_PREFIX}`);
    expect(session).not.toContain(marker); // …but not the data
    expect(await dump(subjectObject(subject))).not.toContain(marker);
  });

  it("drops a revoked session's data at once, before the purge", async () => {
    const s = await createSession({ data: { note: "x" }, ttl: 600 });
    // The object's clock runs a minute ahead, so the purge alarm (due "now") waits for this test.
    await useClock(s.id, new ManualClock(Date.now() + 60_000));
    expect((await api("DELETE", `/v1/sessions/${s.id}`)).status).toBe(204);
    const row = await storedRow(s.id);
    expect(row?.revoked_at).toBeTypeOf("number");
    expect(row?.data).toBeNull();
  });
});
