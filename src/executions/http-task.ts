// `arn:aws:states:::http:invoke` (also `http:invoke`), as Step Functions' HTTP Task: Parameters
// {ApiEndpoint, Method, Headers?, QueryParameters?, RequestBody?} → {StatusCode, StatusText,
// Headers, ResponseBody}. A non-2xx reply fails with States.Http.StatusCode.<code>, a network
// failure (or the task's TimeoutSeconds passing) with States.Http.Socket, an endpoint (or a
// redirect) the origin policy refuses with Edgestate.DestinationNotAllowed (allowed-fetch.ts).
import { parseJson } from "../core/json/parse-json";
import type { OriginPolicy } from "../core/net/origin-policy";
import type { JsonValue } from "../machine/types.ts";
import { allowedFetch } from "./allowed-fetch";
import { failed, isObject, succeeded, type TaskOutcome } from "./task-outcome";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** Timers take a signed 32-bit delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const invalid = (cause: string) => failed("States.TaskFailed", `Invalid http:invoke Parameters: ${cause}`);

const text = (v: JsonValue): string => (typeof v === "string" ? v : JSON.stringify(v));

export interface HttpTaskContext {
  policy: OriginPolicy;
  /** This deployment's Via pseudonym (self-call.ts). */
  pseudonym: string;
  /** What is left of the task's TimeoutSeconds. */
  timeoutMs: number;
  /** TestState at TRACE: told the request sent and the reply received. */
  observe?: (exchange: HttpExchange) => void;
}

/** One HTTP call as TestState's TRACE level shows it. */
export interface HttpExchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: { status: number; statusText: string; headers: Record<string, string>; body: string };
}

export async function invokeHttp(
  parameters: JsonValue,
  idempotencyKey: string,
  ctx: HttpTaskContext,
): Promise<TaskOutcome> {
  const { timeoutMs } = ctx;
  if (!isObject(parameters)) return invalid("expected an object");
  const { ApiEndpoint, Method, Headers: headers, QueryParameters: query, RequestBody: body } = parameters;
  if (typeof ApiEndpoint !== "string") return invalid("ApiEndpoint must be a string");
  let url: URL;
  try {
    url = new URL(ApiEndpoint);
  } catch {
    return invalid(`ApiEndpoint '${ApiEndpoint}' is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return invalid("ApiEndpoint must be http(s)");
  const method = typeof Method === "string" ? Method.toUpperCase() : "";
  if (!METHODS.has(method)) return invalid(`Method must be one of ${[...METHODS].join(", ")}`);
  if (query !== undefined) {
    if (!isObject(query)) return invalid("QueryParameters must be an object");
    for (const [name, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, text(v));
    }
  }
  const outgoing = new Headers();
  if (headers !== undefined) {
    if (!isObject(headers)) return invalid("Headers must be an object");
    for (const [name, value] of Object.entries(headers)) {
      try {
        outgoing.set(name, text(value));
      } catch {
        return invalid(`header '${name}' is not a valid header`);
      }
    }
  }
  // Set last: the receiver's dedupe key must be ours, whatever the definition put in Headers.
  outgoing.set(IDEMPOTENCY_HEADER, idempotencyKey);
  let payload: string | undefined;
  if (body !== undefined && method !== "GET" && method !== "HEAD") {
    payload = typeof body === "string" ? body : JSON.stringify(body);
    if (typeof body !== "string" && !outgoing.has("Content-Type"))
      outgoing.set("Content-Type", "application/json");
  }

  // The task's TimeoutSeconds bounds the call. A timer (cleared as soon as the call ends) rather
  // than AbortSignal.timeout, so no timer outlives the call; none at all for the default timeout.
  const abort = new AbortController();
  const timer =
    timeoutMs < MAX_TIMER_MS ? setTimeout(() => abort.abort(), Math.max(1, timeoutMs)) : undefined;
  let response: Response;
  let responseText: string;
  try {
    const fetched = await allowedFetch(
      url,
      { method, headers: outgoing, body: payload },
      { policy: ctx.policy, pseudonym: ctx.pseudonym, signal: abort.signal },
    );
    if (!fetched.ok) return fetched.outcome;
    response = fetched.response;
    responseText = method === "HEAD" ? "" : await response.text();
  } catch (e) {
    const cause = abort.signal.aborted
      ? `The request to ${url.origin} did not complete before the task's timeout.`
      : `The request to ${url.origin} failed: ${e instanceof Error ? e.message : String(e)}`;
    return failed("States.Http.Socket", cause);
  } finally {
    clearTimeout(timer);
  }

  ctx.observe?.({
    request: {
      method,
      url: response.url || url.href,
      headers: Object.fromEntries(outgoing),
      body: payload ?? "",
    },
    response: {
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      body: responseText,
    },
  });
  const result = {
    StatusCode: response.status,
    StatusText: response.statusText,
    Headers: Object.fromEntries(response.headers) as { [key: string]: JsonValue },
    ResponseBody: responseBody(response.headers.get("Content-Type"), responseText),
  };
  if (response.status < 200 || response.status > 299) {
    return failed(`States.Http.StatusCode.${response.status}`, JSON.stringify(result));
  }
  return succeeded(result);
}

function responseBody(contentType: string | null, body: string): JsonValue {
  if (body !== "" && /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType ?? "")) {
    // Under the rules of a request body (core/json), or it stays text, exactly as received: a
    // reply nested thousands deep would overflow the stack of every recursive walk after it
    // (sealing, RPC); a repeated key or an id past 2^53 would change without a word.
    const parsed = parseJson(body);
    return parsed.ok ? (parsed.value as JsonValue) : body;
  }
  return body;
}
