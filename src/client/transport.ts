// One way out for every call: the URL (or the service binding), the key, the tenant, and the
// retry loop. A write is sent with one Idempotency-Key on every attempt, so however many of its
// replies are lost, the server applies it once and answers the retries with its first reply.
import { EdgestateError, errorFromResponse } from "./errors.ts";
import { newIdempotencyKey } from "./idempotency-key.ts";
import {
  delayBeforeRetry,
  parseRetryAfter,
  type Repeatability,
  type RetryOptions,
  type RetryPolicy,
  retryPolicy,
  shouldRetry,
} from "./retry.ts";

/** What a service binding (or anything with a fetch method) offers. */
export interface Fetcher {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

export interface ClientOptions {
  /** The deployment's origin, e.g. `https://edgestate.example.com`. Not with `fetcher`. */
  url?: string;
  /** A service binding to EdgestateService (`env.EDGESTATE`): no HTTP hop, no public route. */
  fetcher?: Fetcher;
  /** An API key (`esk_…`), sent as `Authorization: Bearer`. */
  key: string;
  /** The tenant to act on: only the root key may name one other than its own. */
  tenant?: string;
  /** Retries (defaults in RetryOptions), or `false` for one attempt per call. */
  retry?: RetryOptions | false;
  /** A fetch to use instead of the global one (a proxy agent, a test double of the network). */
  fetch?: typeof fetch;
  /** Called before each retry's wait: for logs and metrics. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  method: string;
  path: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** Its status, or 0 when no reply came. */
  status: number;
  delayMs: number;
  idempotencyKey: string | null;
}

/** Per-call options every method takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Per-call options of a write. */
export interface WriteOptions extends CallOptions {
  /** Your own key for this write (else one is made); reused on every retry of the call. */
  idempotencyKey?: string;
}

export interface CallRequest {
  method: "GET" | "PUT" | "PATCH" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  headers?: Record<string, string | undefined>;
  /** Sent as JSON unless `contentType` says otherwise (it is then JSON of that media type). */
  body?: unknown;
  contentType?: string;
  repeat: Repeatability;
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Accept a reply that is neither 2xx nor a problem: 304 to a conditional read. */
  accept?: number[];
  /** Hand the body over unread (`Reply.body`): a stream that outlives the attempt's timeout. */
  stream?: boolean;
  /**
   * How long the server holds its reply on purpose (`?wait`), in ms: added to each attempt's
   * timeout and to the call's budget, which otherwise end the call before the server answers.
   */
  holdMs?: number | undefined;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** The whole body; "" for a streamed reply. */
  text: string;
  /** A streamed reply's body. */
  body?: ReadableStream<Uint8Array> | null;
}

/** The dummy origin of a service binding call: the binding routes by itself, not by host. */
const BINDING_ORIGIN = "https://edgestate.internal";

export class Transport {
  readonly policy: RetryPolicy;
  private readonly origin: string;
  private readonly send: (url: string, init: RequestInit) => Promise<Response>;

  constructor(private readonly options: ClientOptions) {
    if (!options.key) throw new TypeError("createClient: `key` is required");
    if (options.url !== undefined && options.fetcher !== undefined) {
      throw new TypeError("createClient: give `url` or `fetcher`, not both");
    }
    const fetcher = options.fetcher;
    if (fetcher) {
      this.origin = BINDING_ORIGIN;
      this.send = (url, init) => fetcher.fetch(url, init);
    } else if (options.url !== undefined) {
      this.origin = new URL(options.url).origin;
      const f = options.fetch ?? globalThis.fetch;
      this.send = (url, init) => f(url, init);
    } else throw new TypeError("createClient: `url` or `fetcher` is required");
    this.policy = retryPolicy(options.retry);
  }

  url(path: string, query?: CallRequest["query"]): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) search.set(name, String(value));
    }
    const q = search.toString();
    return `${this.origin}${path}${q ? `?${q}` : ""}`;
  }

  headers(extra: Record<string, string | undefined> = {}): Headers {
    const headers = new Headers({ Authorization: `Bearer ${this.options.key}`, Accept: "application/json" });
    if (this.options.tenant !== undefined) headers.set("Edgestate-Tenant", this.options.tenant);
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) headers.set(name, value);
    return headers;
  }

  /** Sends the call, retrying as its repeatability allows; a reply it accepts, else an EdgestateError. */
  async call(req: CallRequest): Promise<Reply> {
    const started = Date.now();
    const holdMs = req.holdMs ?? 0;
    const totalMs = this.policy.totalTimeoutMs + holdMs;
    const deadline = started + totalMs;
    const key = req.repeat === "keyed" ? (req.idempotencyKey ?? newIdempotencyKey()) : undefined;
    const headers = this.headers({
      ...req.headers,
      ...(key !== undefined ? { "Idempotency-Key": key } : {}),
    });
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers.set("Content-Type", req.contentType ?? "application/json");
    }
    const url = this.url(req.path, req.query);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      const outcome = await this.attempt(
        url,
        { method: req.method, headers, body },
        { remainingMs: remaining, attemptMs: this.policy.attemptTimeoutMs + holdMs, totalMs },
        req.signal,
        req.stream === true,
      );
      let failure: EdgestateError;
      if (outcome instanceof EdgestateError) {
        failure = outcome;
      } else if (outcome.res.ok || req.accept?.includes(outcome.res.status)) {
        const { status, headers: replyHeaders } = outcome.res;
        if (req.stream) return { status, headers: replyHeaders, text: "", body: outcome.res.body };
        return { status, headers: replyHeaders, text: outcome.text };
      } else {
        const retryAfter = parseRetryAfter(outcome.res.headers.get("Retry-After"), Date.now());
        failure = await errorFromResponse(
          new Response(outcome.text, { status: outcome.res.status, headers: outcome.res.headers }),
          attempt,
          retryAfter,
        );
      }
      if (failure.code === "aborted") throw withAttempts(failure, attempt);
      if (attempt >= this.policy.maxAttempts || !shouldRetry(req.repeat, failure.status, failure.code)) {
        throw withAttempts(failure, attempt);
      }
      const delayMs = delayBeforeRetry(this.policy, attempt, failure.retryAfterMs);
      if (Date.now() + delayMs >= deadline) throw withAttempts(failure, attempt);
      this.options.onRetry?.({
        method: req.method,
        path: req.path,
        attempt,
        status: failure.status,
        delayMs,
        idempotencyKey: key ?? null,
      });
      await sleep(delayMs, req.signal);
    }
  }

  /** One request with its own timeout (within what the call has left); the reply is read whole. */
  private async attempt(
    url: string,
    init: RequestInit,
    budget: { remainingMs: number; attemptMs: number; totalMs: number },
    signal: AbortSignal | undefined,
    stream: boolean,
  ): Promise<{ res: Response; text: string } | EdgestateError> {
    if (signal?.aborted) return aborted(signal);
    if (budget.remainingMs <= 0) return timedOut(budget.totalMs);
    const limit = Math.min(budget.attemptMs, budget.remainingMs);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await this.send(url, { ...init, signal: controller.signal });
      // Read inside the timeout: a reply cut off mid-body is as lost as one never sent.
      // (A stream's successful reply is left unread: its body is the watch.)
      if (stream && res.ok) return { res, text: "" };
      return { res, text: await res.text() };
    } catch (e) {
      if (signal?.aborted) return aborted(signal);
      if (controller.signal.aborted) return timedOut(limit, e);
      return new EdgestateError(
        { code: "network-error", status: 0, title: "Network Error", detail: String(e) },
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function withAttempts(e: EdgestateError, attempts: number): EdgestateError {
  if (e.attempts === attempts) return e;
  return new EdgestateError(
    {
      code: e.code,
      status: e.status,
      type: e.type,
      title: e.title,
      detail: e.detail,
      errors: e.errors,
      requestId: e.requestId,
      retryAfterMs: e.retryAfterMs,
      attempts,
      problem: e.problem,
    },
    { cause: e.cause },
  );
}

export function aborted(signal: AbortSignal): EdgestateError {
  return new EdgestateError(
    { code: "aborted", status: 0, title: "Aborted", detail: "the call was aborted by its signal" },
    { cause: signal.reason },
  );
}

export function timedOut(ms: number, cause?: unknown): EdgestateError {
  return new EdgestateError(
    { code: "timeout", status: 0, title: "Timeout", detail: `no reply within ${ms} ms` },
    { cause },
  );
}

/** A wait that the caller's signal cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
