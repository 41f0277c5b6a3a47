import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Clock } from "../../src/core/clock";
import { DEFAULT_TENANT } from "../../src/core/names";
import { sessionStub, subjectStub } from "../../src/objects/names";
import type { SessionObject } from "../../src/objects/session-object";
import type { SubjectObject } from "../../src/objects/subject-object";
import { api, type Call, json } from "../support/api";
import { useClock as useObjectClock } from "../support/clock";

export interface SessionBody {
  id: string;
  subject: string | null;
  data: Record<string, unknown>;
  version: number;
  createdAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
}

export async function createSession(body: unknown = {}, call: Call = {}): Promise<SessionBody> {
  const res = await api("POST", "/v1/sessions", { ...call, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<SessionBody>(res);
}

export { ManualClock } from "../support/clock";

export const sessionObject = (id: string, tenant = DEFAULT_TENANT) => sessionStub(env, tenant, id);
export const subjectObject = (subject: string, tenant = DEFAULT_TENANT) => subjectStub(env, tenant, subject);

/** Same isolate, same object: later `clock.advance` calls move the session's time too. */
export const useClock = (id: string, clock: Clock, tenant = DEFAULT_TENANT) =>
  useObjectClock(sessionObject(id, tenant), clock);

export const useSubjectClock = (subject: string, clock: Clock, tenant = DEFAULT_TENANT) =>
  useObjectClock(subjectObject(subject, tenant), clock);

/** The session row as stored (times in ms), or null. */
export function storedRow(id: string, tenant = DEFAULT_TENANT) {
  return runInDurableObject(sessionObject(id, tenant), (_: SessionObject, state) => {
    const tables = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'session'")
      .toArray();
    if (tables.length === 0) return null;
    return (state.storage.sql.exec("SELECT * FROM session").toArray()[0] ?? null) as Record<
      string,
      string | number | null
    > | null;
  });
}

export function indexedIds(subject: string, tenant = DEFAULT_TENANT) {
  return runInDurableObject(subjectObject(subject, tenant), (_: SubjectObject, state) => {
    const tables = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sessions'")
      .toArray();
    if (tables.length === 0) return [] as string[];
    return state.storage.sql
      .exec<{ id: string }>("SELECT id FROM sessions ORDER BY created_at, rowid")
      .toArray()
      .map((r) => r.id);
  });
}

/** A problem body without `instance` (the request id), for comparing two refusals. */
export async function problemWithoutInstance(res: Response) {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const { instance, ...rest } = await json<Record<string, unknown>>(res);
  expect(typeof instance).toBe("string");
  return rest;
}

export const mergePatch = (body: unknown, headers: Record<string, string> = {}): Call => ({
  body,
  contentType: "application/merge-patch+json",
  headers,
});
