import { exports } from "cloudflare:workers";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

export const ORIGIN = "https://edgestate.test";

export interface ConsoleCall {
  method?: string;
  cookie?: string;
  form?: Record<string, string>;
  json?: unknown;
  /** Defaults to this origin; `null` sends no Origin. */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** One browser-like request to a console page, through the real Worker. Redirects are not followed. */
export function page(path: string, call: ConsoleCall = {}): Promise<Response> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.cookie) headers.Cookie = call.cookie;
  const method = call.method ?? (call.form || call.json !== undefined ? "POST" : "GET");
  if (method !== "GET" && call.origin !== null) headers.Origin = call.origin ?? ORIGIN;
  let body: string | undefined;
  if (call.form) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(call.form).toString();
  } else if (call.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(call.json);
  }
  return exports.default.fetch(`${ORIGIN}${path}`, { method, headers, body, redirect: "manual" });
}

/** The `name=value` pair of the console cookie a reply sets, or undefined. */
export function consoleCookie(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith("edgestate_console="));
  return set?.split(";")[0];
}

export async function signIn(key = TEST_ADMIN_KEY, tenant = ""): Promise<{ cookie: string; csrf: string }> {
  const res = await page("/console/sign-in", { form: { key, tenant, next: "/console" } });
  const cookie = consoleCookie(res);
  if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const home = await page("/console", { cookie });
  return { cookie, csrf: csrfOf(await home.text()) };
}

export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF field on the page");
  return token;
}
