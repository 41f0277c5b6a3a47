// RFC 9457 problem details: the only error shape a client ever sees.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, type Failure, fail } from "../core/result";
import type { AppEnv } from "./app-env";
import { statusOf } from "./error-status";

export interface FieldError {
  pointer: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  title: string;
  detail: string;
  /** `type` is `urn:edgestate:problem:<slug>` (error-status.ts). */
  slug: string;
  errors?: FieldError[];
  /** A transaction's failed operations, each code as its problem type's slug. */
  failures?: { index: number; code: string; detail: string; currentVersion?: number }[];
  headers?: Record<string, string>;
  /** Never sent: what the log line of a 500 says caused it (an unexpected error's text and stack). */
  cause?: { error: string; stack?: string | undefined };
}

/** Thrown anywhere in a request; `onError` turns it into the response. */
export class ProblemError extends Error {
  override name = "ProblemError";
  constructor(readonly init: ProblemInit) {
    super(init.detail);
  }
}

/** A refusal by a route or middleware: the same code → status mapping as an object's failure. */
export const problem = (
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
) => fromFailure(fail(code, detail, extra.errors ? { errors: extra.errors } : {}), extra.headers);

export const badRequest = (detail: string, errors?: FieldError[]) =>
  problem("invalid", detail, errors ? { errors } : {});

export function fromFailure(failure: Failure, headers?: Record<string, string>): ProblemError {
  const { status, title, slug } = statusOf(failure.code);
  const retry = failure.retryAfterSeconds;
  const all = retry === undefined ? headers : { "Retry-After": String(retry), ...headers };
  return new ProblemError({
    status,
    title,
    detail: failure.detail,
    slug,
    ...(failure.errors ? { errors: failure.errors } : {}),
    ...(failure.failures
      ? { failures: failure.failures.map((f) => ({ ...f, code: statusOf(f.code).slug })) }
      : {}),
    ...(all ? { headers: all } : {}),
  });
}

export function problemBody(init: ProblemInit, instance: string): string {
  return JSON.stringify({
    type: `urn:edgestate:problem:${init.slug}`,
    title: init.title,
    status: init.status,
    detail: init.detail,
    instance,
    ...(init.errors ? { errors: init.errors } : {}),
    ...(init.failures ? { failures: init.failures } : {}),
  });
}

export function problemResponse(c: Context<AppEnv>, init: ProblemInit, instance = c.get("requestId")) {
  // A 500 is ours to explain: its cause goes to the log under the request id, never to the client.
  if (init.status === 500) {
    console.error(
      JSON.stringify({
        requestId: c.get("requestId"),
        event: init.cause ? "unhandled_error" : "server_problem",
        type: init.slug,
        detail: init.detail,
        ...(instance !== c.get("requestId") ? { replayOf: instance } : {}),
        ...init.cause,
      }),
    );
  }
  return c.body(problemBody(init, instance), init.status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json",
    ...init.headers,
  });
}
