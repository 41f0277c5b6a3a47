// A session object deletes all of its storage once nothing is left, and keeps only the mark that
// its derived id was issued (so a key reused after its 24 hours is a 422, never a revived id).
// The object can die at any instant of that wipe: the mark must survive whatever instant it is.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { behindItsBack } from "../support/tamper";
import { type SessionBody, sessionObject, storedRow } from "./helpers";

const create = (key: string) =>
  api("POST", "/v1/sessions", { body: {}, headers: { "Idempotency-Key": key } });

describe("the final wipe of a session with a derived id, cut short by a crash", () => {
  it("still refuses the spent key (422) and never revives the id", async () => {
    const key = unique("login");
    const { id } = await json<SessionBody>(await create(key));
    expect((await api("DELETE", `/v1/sessions/${id}`)).status).toBe(204);
    await runDurableObjectAlarm(sessionObject(id)); // purges the revoked session
    await behindItsBack(sessionObject(id), (state) => {
      state.storage.sql.exec("UPDATE idempotency SET created_at = 0"); // the key's 24 hours are over
    });
    // The object dies right after it deleted its storage, before anything after that commits.
    await runInDurableObject(sessionObject(id), (_instance, state) => {
      const storage = state.storage as DurableObjectStorage & { deleteAll: () => Promise<void> };
      const deleteAll = storage.deleteAll.bind(storage);
      storage.deleteAll = async () => {
        await deleteAll();
        throw new Error("crash injected after deleteAll");
      };
    });
    await runDurableObjectAlarm(sessionObject(id)).catch(() => undefined);
    await evictDurableObject(sessionObject(id));
    expect(await storedRow(id)).toBeNull();
    // What is left is the mark alone: no table, no other key.
    const left = await runInDurableObject(sessionObject(id), (_instance, state) => ({
      tables: state.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
        )
        .toArray()
        .map((t) => t.name),
      keys: [...state.storage.kv.list()].map(([k]) => k),
    }));
    expect(left).toEqual({ tables: [], keys: ["issued"] });

    const reuse = await create(key);
    expect(reuse.status, await reuse.clone().text()).toBe(422);
    expect((await api("GET", `/v1/sessions/${id}`)).status).toBe(404);
  });
});
