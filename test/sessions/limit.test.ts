import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { createSession, indexedIds } from "./helpers";

const max = Number(env.MAX_SESSIONS_PER_SUBJECT);
const listIds = async (subject: string) =>
  (await json<{ items: { id: string }[] }>(await api("GET", `/v1/subjects/${subject}/sessions`))).items.map(
    (i) => i.id,
  );

/** `max` sessions for one subject, oldest first (creates queue in the subject's index anyway). */
async function fill(subject: string): Promise<string[]> {
  await Promise.all(Array.from({ length: max }, () => createSession({ subject })));
  const ids = await listIds(subject);
  expect(ids).toHaveLength(max);
  return ids;
}

describe("MAX_SESSIONS_PER_SUBJECT", () => {
  it("is 100 by default", () => {
    expect(max).toBe(100);
  });

  it("revokes the oldest live session when one more is created", async () => {
    const subject = unique("busy");
    const ids = await fill(subject);
    const newest = await createSession({ subject });
    // By the time the create replied, the oldest was refused and unindexed.
    expect((await api("GET", `/v1/sessions/${ids[0]}`)).status).toBe(404);
    expect((await api("GET", `/v1/sessions/${ids[1]}`)).status).toBe(200);
    expect((await api("GET", `/v1/sessions/${newest.id}`)).status).toBe(200);
    expect(await listIds(subject)).toEqual([...ids.slice(1), newest.id]);
    expect(await indexedIds(subject)).toHaveLength(max);
  });

  it("revokes nothing when a revoked session made room", async () => {
    const subject = unique("busy");
    const ids = await fill(subject);
    expect((await api("DELETE", `/v1/sessions/${ids[50]}`)).status).toBe(204);
    const newest = await createSession({ subject });
    expect((await api("GET", `/v1/sessions/${ids[0]}`)).status).toBe(200);
    expect(await listIds(subject)).toEqual([...ids.slice(0, 50), ...ids.slice(51), newest.id]);
  });
});
