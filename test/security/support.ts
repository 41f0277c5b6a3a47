import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import { behindItsBack } from "../support/tamper";
import { TEST_ADMIN_KEY, TEST_ENCRYPTION_KEYS } from "../support/test-secrets";

/** Environment overrides for one request: another key ring, a broken secret, a test-only binding. */
export type EnvPatch = Partial<Record<keyof Env | "RATE_LIMITER_TIGHT", unknown>>;

export interface VariantCall {
  body?: string;
  headers?: Record<string, string>;
  /** Bearer key; defaults to the admin key; null sends none. */
  key?: string | null;
  tenant?: string;
  contentType?: string;
}

/**
 * One request through the Worker's default export with a changed environment: the same bindings
 * (so the same Durable Objects and KV) but other secrets or vars. This is how a test plays a
 * redeploy with a rotated ENCRYPTION_KEYS without a second test project.
 */
export async function fetchWith(
  patch: EnvPatch,
  method: string,
  path: string,
  call: VariantCall = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...call.headers };
  const key = call.key === undefined ? TEST_ADMIN_KEY : call.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (call.tenant) headers["Edgestate-Tenant"] = call.tenant;
  if (call.body !== undefined) headers["Content-Type"] = call.contentType ?? "application/json";
  const request = new Request(`https://edgestate.test${path}`, { method, headers, body: call.body });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ...patch } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Ring = { primary: string; keys: Record<string, string> };

/** ENCRYPTION_KEYS for a ring built from the test keys. */
export function ringSecret(primary: "k1" | "k2", ids: ("k1" | "k2")[]): string {
  const ring: Ring = { primary, keys: {} };
  for (const id of ids) ring.keys[id] = TEST_ENCRYPTION_KEYS.keys[id];
  return JSON.stringify(ring);
}

export async function expectProblem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  if (res.headers.get("Content-Type") !== "application/problem+json") {
    throw new Error(`expected application/problem+json, got ${res.headers.get("Content-Type")}: ${text}`);
  }
  return JSON.parse(text) as ProblemBody;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { pointer: string; message: string }[];
}

/**
 * Plays a redeploy with another ENCRYPTION_KEYS (or var) for the Durable Objects: in the test pool every
 * object of the worker shares one env object, so setting the secret through any one instance
 * changes what every object's getConfig() sees. Pair it with fetchWith({ ENCRYPTION_KEYS }) for
 * the Worker side. Returns the previous value, for restoring.
 */
export async function setObjectSecret(
  name:
    | "ENCRYPTION_KEYS"
    | "HTTP_TASK_ALLOWED_ORIGINS"
    | "HTTP_TASK_MAX_CONCURRENCY"
    | "MAX_BODY_BYTES"
    | "MAX_WATCHERS_PER_OBJECT",
  value: string,
): Promise<string> {
  return runInDurableObject(env.ENTITIES.getByName("redeploy/probe/x"), async (instance) => {
    const objectEnv = (instance as unknown as { env: Record<string, string> }).env;
    const previous = objectEnv[name]!;
    objectEnv[name] = value;
    return previous;
  });
}

/** Everything an entity object stores: every row of every table it can read, and its KV storage. */
export const dumpEntityStorage = (objectName: string) =>
  dumpObjectStorage(env.ENTITIES.getByName(objectName));

/** Everything any Durable Object stores: every row of every table it can read, and its KV storage. */
export async function dumpObjectStorage(stub: DurableObjectStub): Promise<{
  tables: Record<string, Record<string, unknown>[]>;
  kv: [string, unknown][];
}> {
  return runInDurableObject(stub, async (_instance, state) => {
    const tables: Record<string, Record<string, unknown>[]> = {};
    const names = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((r) => r.name);
    for (const name of names) {
      // _cf_* tables are the platform's (storage.kv's _cf_KV, alarm metadata); SQL may not read
      // them (SQLITE_AUTH). storage.kv's contents are taken from storage.kv.list() below instead.
      if (name.startsWith("_cf_")) continue;
      tables[name] = state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray();
    }
    return { tables, kv: [...state.storage.kv.list()] };
  });
}

/** Every KV key under a prefix with its metadata and raw value. */
export async function dumpKv(
  prefix: string,
): Promise<{ name: string; metadata: unknown; value: string | null }[]> {
  const out: { name: string; metadata: unknown; value: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.CACHE.list({ prefix, ...(cursor ? { cursor } : {}) });
    for (const key of page.keys) {
      out.push({ name: key.name, metadata: key.metadata, value: await env.CACHE.get(key.name, "text") });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/**
 * Runs SQL inside an entity object: how tests tamper with stored ciphertext. A statement that
 * changes rows restarts the object after it (support/tamper.ts), so it reads storage again.
 */
export async function execInEntity(objectName: string, query: string, ...bindings: unknown[]) {
  const stub = env.ENTITIES.getByName(objectName);
  const run = (state: DurableObjectState) => state.storage.sql.exec(query, ...bindings).toArray();
  if (/^\s*SELECT\b/i.test(query)) return runInDurableObject(stub, (_i, state) => run(state));
  return behindItsBack(stub, run);
}

/** Key ids of every sealed value an object stores (SQL rows and its synchronous KV, however deep in a record). */
export function sealedKeyIds(stub: DurableObjectStub): Promise<string[]> {
  return runInDurableObject(stub, (_instance, state) => {
    const values: unknown[] = [...state.storage.kv.list()].map(([, v]) => v);
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .toArray();
    for (const { name } of tables)
      values.push(...state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray());
    const ids = new Set<string>();
    JSON.stringify(values, (_key, value: unknown) => {
      if (typeof value === "string" && value.startsWith("es1.")) ids.add(value.split(".")[1]!);
      return value;
    });
    return [...ids].sort();
  });
}
