import { exports } from "cloudflare:workers";
import { settled } from "./contract/settle";
import { TEST_ADMIN_KEY } from "./test-secrets";

export interface Call {
  body?: unknown;
  /** Sent as-is, for malformed bodies. */
  raw?: string;
  headers?: Record<string, string>;
  /** Bearer key; defaults to the admin key. `null` sends no Authorization. */
  key?: string | null;
  tenant?: string;
  contentType?: string;
}

/**
 * One request through the real Worker (routes, middleware, Durable Objects, KV). The reply is read
 * whole and checked against /openapi.json (contract/settle.ts): a reply the document does not
 * describe fails the test that got it.
 */
export async function api(method: string, path: string, call: Call = {}): Promise<Response> {
  const request = apiRequest(method, path, call);
  return settled(request, await exports.default.fetch(request.clone()));
}

/** A request as given (raw bytes, any headers) through the Worker, its reply checked like `api()`'s. */
export async function fetchChecked(path: string, init: RequestInit): Promise<Response> {
  const request = new Request(`https://edgestate.test${path}`, init);
  return settled(request, await exports.default.fetch(request.clone()));
}

/** The request `api()` sends. */
export function apiRequest(method: string, path: string, call: Call = {}): Request {
  const headers: Record<string, string> = { ...call.headers };
  const key = call.key === undefined ? TEST_ADMIN_KEY : call.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (call.tenant) headers["Edgestate-Tenant"] = call.tenant;
  let body: string | undefined;
  if (call.raw !== undefined) body = call.raw;
  else if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined) headers["Content-Type"] = call.contentType ?? "application/json";
  return new Request(`https://edgestate.test${path}`, { method, headers, body });
}

export async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** A unique name per test, since storage is shared by the tests of one file. */
export const unique = (prefix = "t") => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export async function issueKey(tenant: string, scopes: string[] = ["read", "write"]): Promise<string> {
  const res = await api("POST", "/v1/keys", { body: { tenant, scopes, name: "test" } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  return (await json<{ key: string }>(res)).key;
}
