// RFC 9457 problem details: the only error shape a client ever sees.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Failure } from "../core/result";
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
  /** A short slug for `type`; defaults from the title. */
  slug?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/** Thrown anywhere in a request; `onError` turns it into the response. */
export class ProblemError extends Error {
  override name = "ProblemError";
  constructor(readonly init: ProblemInit) {
    super(init.detail);
  }
}

export const problem = (status: number, title: string, detail: string, extra: Partial<ProblemInit> = {}) =>
  new ProblemError({ status, title, detail, ...extra });

export const badRequest = (detail: string, errors?: FieldError[]) =>
  problem(400, "Bad Request", detail, errors ? { errors } : {});

export function fromFailure(failure: Failure, headers?: Record<string, string>): ProblemError {
  const { status, title } = statusOf(failure.code);
  return new ProblemError({
    status,
    title,
    detail: failure.detail,
    slug: failure.code.replaceAll("_", "-"),
    ...(failure.errors ? { errors: failure.errors } : {}),
    ...(headers ? { headers } : {}),
  });
}

const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export function problemBody(init: ProblemInit, instance: string): string {
  return JSON.stringify({
    type: `urn:edgestate:problem:${init.slug ?? slugOf(init.title)}`,
    title: init.title,
    status: init.status,
    detail: init.detail,
    instance,
    ...(init.errors ? { errors: init.errors } : {}),
  });
}

export function problemResponse(c: Context<AppEnv>, init: ProblemInit, instance = c.get("requestId")) {
  return c.body(problemBody(init, instance), init.status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json",
    ...init.headers,
  });
}
