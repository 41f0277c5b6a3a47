// The console has no data path of its own: every read and write is a request to the public /v1
// API, made in-process through the same Hono app (auth, tenant rules, validation, rate limits,
// Durable Objects, error mapping — all exactly what an API client gets).
import type { Context } from "hono";
import { TENANT_HEADER } from "../http/middleware/auth";
import type { ConsoleSession } from "./auth/console-session";
import { ConsoleRefusal } from "./auth/refusal";
import type { AppFetch, ConsoleEnv } from "./console-env";

export interface ApiProblem {
  status: number;
  title: string;
  detail: string;
  instance?: string;
  errors?: { pointer: string; message: string }[];
}

export type ApiReply<T> =
  | { ok: true; status: number; headers: Headers; body: T }
  | { ok: false; status: number; headers: Headers; problem: ApiProblem };

export interface ApiCall {
  body?: unknown;
  /** Body text sent as-is (already JSON, e.g. an edited document). */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | undefined>;
}

export class ApiClient {
  constructor(
    private readonly fetchApp: AppFetch,
    private readonly c: Context<ConsoleEnv>,
    private readonly session: Pick<ConsoleSession, "key" | "tenant">,
  ) {}

  async request<T = unknown>(method: string, path: string, call: ApiCall = {}): Promise<ApiReply<T>> {
    const res = await this.send(method, path, call);
    // The key was revoked (or the deployment's root key rotated) since sign-in: sign out.
    if (res.status === 401) throw new ConsoleRefusal(401, "Your API key is no longer accepted.");
    const type = res.headers.get("Content-Type") ?? "";
    if (res.ok) {
      const body = (type.includes("json") ? await res.json() : await res.text()) as T;
      return { ok: true, status: res.status, headers: res.headers, body };
    }
    return { ok: false, status: res.status, headers: res.headers, problem: await readProblem(res) };
  }

  /** The raw response, for bodies the console passes through (SVG). */
  async send(method: string, path: string, call: ApiCall = {}): Promise<Response> {
    const url = new URL(path, this.c.req.url);
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined && v !== "") url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.session.key}`,
      [TENANT_HEADER]: this.session.tenant,
      ...call.headers,
    };
    let body: string | undefined;
    if (call.raw !== undefined) body = call.raw;
    else if (call.body !== undefined) body = JSON.stringify(call.body);
    if (body !== undefined) headers["Content-Type"] = call.contentType ?? "application/json";
    return this.fetchApp(new Request(url, { method, headers, body }), this.c.env, executionContext(this.c));
  }
}

function executionContext(c: Context): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined;
  }
}

async function readProblem(res: Response): Promise<ApiProblem> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as Partial<ApiProblem>;
    if (typeof p.title === "string" && typeof p.detail === "string") {
      return {
        status: res.status,
        title: p.title,
        detail: p.detail,
        ...(typeof p.instance === "string" ? { instance: p.instance } : {}),
        ...(Array.isArray(p.errors) ? { errors: p.errors } : {}),
      };
    }
  } catch {
    // Not a problem document: described below without echoing the body.
  }
  return { status: res.status, title: res.statusText || "Error", detail: `the API answered ${res.status}` };
}

/** The path segment for a name the API will validate; encoded so it can never change the path. */
export const seg = (value: string) => encodeURIComponent(value);
