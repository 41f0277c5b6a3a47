import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
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
