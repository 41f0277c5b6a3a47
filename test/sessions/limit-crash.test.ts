// MAX_SESSIONS_PER_SUBJECT across a crash: the subject's index revokes the oldest session after
// the new one has committed. If the index dies in between, the client's retry (same
// Idempotency-Key) is a replay of the create, and the limit must still be enforced then.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SubjectObject } from "../../src/objects/subject-object";
import { api, json, unique } from "../support/api";
import { createSession, subjectObject } from "./helpers";

const max = Number(env.MAX_SESSIONS_PER_SUBJECT);
const listIds = async (subject: string) =>
  (await json<{ items: { id: string }[] }>(await api("GET", `/v1/subjects/${subject}/sessions`))).items.map(
    (i) => i.id,
  );

describe("the per-subject limit when the index dies after the new session committed", () => {
  it("is enforced on the retry that replays the create", async () => {
    const subject = unique("busy");
    await Promise.all(Array.from({ length: max }, () => createSession({ subject })));
    const ids = await listIds(subject);
    expect(ids).toHaveLength(max);

    // The index dies once the new session has committed, before it revokes the oldest.
    await runInDurableObject(subjectObject(subject), (instance: SubjectObject) => {
      (instance as unknown as { enforceLimit: () => Promise<void> }).enforceLimit = async () => {
        throw new Error("crash injected before the limit");
      };
    });
    const body = { subject };
    const headers = { "Idempotency-Key": unique("login") };
    const lost = await api("POST", "/v1/sessions", { body, headers });
    expect(lost.status).toBeGreaterThanOrEqual(500);
    await evictDurableObject(subjectObject(subject));

    const retry = await api("POST", "/v1/sessions", { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    const { id } = await json<{ id: string }>(retry);
    const live = await listIds(subject);
    expect(live).toHaveLength(max);
    expect(live).toEqual([...ids.slice(1), id]);
    expect((await api("GET", `/v1/sessions/${ids[0]}`)).status).toBe(404);
  });
});
