// Shared by the sessions-* security tests: a seeded session, what "unchanged" means for it, the
// raw storage of its objects, and the reply check every hostile request must pass.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { sessionStub, subjectStub } from "../../src/objects/names";
import { api, fetchChecked, json } from "../support/api";
import { behindItsBack } from "../support/tamper";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

export const MERGE = "application/merge-patch+json";
export const ADMIN = `Bearer ${TEST_ADMIN_KEY}`;

export interface Seeded {
  tenant: string;
  id: string;
  path: string;
}

/**
 * A non-sliding session: reading it back changes nothing (a GET of a sliding session may store a
 * later expiresAt), so "unchanged" can compare the whole reply, expiresAt included.
 */
export async function seedSession(tenant: string, data: unknown = { seed: [1, "two", { three: 3 }] }) {
  const res = await api("POST", "/v1/sessions", { tenant, body: { data, ttl: 3600, sliding: false } });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = await json<{ id: string }>(res);
  return { tenant, id, path: `/v1/sessions/${id}` } satisfies Seeded;
}

export interface SessionSnapshot {
  status: number;
  etag: string | null;
  body: string;
  row: Record<string, unknown> | null;
}

/** The session as the API serves it (status, ETag, body with version/data/expiresAt) and as stored. */
export async function snapshot(s: Seeded): Promise<SessionSnapshot> {
  const res = await api("GET", s.path, { tenant: s.tenant });
  return {
    status: res.status,
    etag: res.headers.get("ETag"),
    body: await res.text(),
    row: await sessionRow(s),
  };
}

/** The stored session row (sealed data, version, expiry, revocation), or null. */
export function sessionRow(s: Pick<Seeded, "tenant" | "id">): Promise<Record<string, unknown> | null> {
  return runInDurableObject(sessionStub(env, s.tenant, s.id), (_instance, state) => {
    const exists = state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'session'")
      .toArray().length;
    if (!exists) return null;
    return (state.storage.sql.exec("SELECT * FROM session").toArray()[0] as Record<string, unknown>) ?? null;
  });
}

/** No 5xx; every 4xx is a problem document whose status matches and which leaks no stack. */
export async function checkReply(res: Response): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("Content-Type"), text).toBe("application/problem+json");
    expect((JSON.parse(text) as { status: number }).status).toBe(res.status);
    expect(text).not.toMatch(/\n\s+at |\.(?:ts|js|mjs):\d+/);
  }
  return text;
}

/** Straight to the Worker, for bodies and headers the api() helper would tidy up. */
export function fetchRaw(path: string, init: RequestInit): Promise<Response> {
  return fetchChecked(path, init);
}

type Stub = DurableObjectStub;

/** Everything an object stores: every row of every table SQL may read, and its KV storage. */
export function dumpObject(
  stub: Stub,
): Promise<{ tables: Record<string, unknown[]>; kv: [string, unknown][] }> {
  return runInDurableObject(stub, (_instance: unknown, state) => {
    const tables: Record<string, unknown[]> = {};
    const names = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((t) => t.name);
    // _cf_* tables are workerd's (storage.kv, alarms) and SQL may not read them; kv.list() covers them.
    for (const name of names.filter((n) => !n.startsWith("_cf_"))) {
      tables[name] = state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray();
    }
    return { tables, kv: [...state.storage.kv.list()] };
  });
}

export const sessionObject = (tenant: string, id: string) => sessionStub(env, tenant, id);
export const subjectObject = (tenant: string, subject: string) => subjectStub(env, tenant, subject);

/**
 * Runs SQL inside a session's object: how tests tamper with stored ciphertext. The object remembers
 * its row and data (it is their only writer), so a query that changes rows restarts it after
 * (support/tamper.ts), and it reads storage again.
 */
export function execInSession(s: Pick<Seeded, "tenant" | "id">, query: string, ...bindings: unknown[]) {
  const stub = sessionObject(s.tenant, s.id);
  const run = (state: DurableObjectState) => state.storage.sql.exec(query, ...bindings).toArray();
  if (/^\s*SELECT\b/i.test(query)) return runInDurableObject(stub, (_i, state) => run(state));
  return behindItsBack(stub, run);
}
