// Every failure the client reports is an EdgestateError a program can branch on by `code`: the
// server's problem type (urn:edgestate:problem:<code>), or one of the client's own codes for what
// never got an answer (a network error, the total time spent, the caller's abort).

/** The problem types the server sends (src/http/error-status.ts), as their slugs. */
export type ProblemCode =
  | "not-found"
  | "precondition-failed"
  | "conflict"
  | "patch-failed"
  | "idempotency-mismatch"
  | "bad-request"
  | "content-too-large"
  | "unauthorized"
  | "forbidden"
  | "key-unavailable"
  | "undecryptable"
  | "service-unavailable"
  | "unsupported-media-type"
  | "method-not-allowed"
  | "too-many-requests"
  | "loop-detected"
  | "internal-server-error"
  | "not-acceptable"
  | "transaction-conflict"
  | "transaction-canceled";

/** Failures with no problem document: the client's own. */
export type ClientCode =
  /** No reply: the connection failed, or every retry did. */
  | "network-error"
  /** The call's time budget (retries included), or wait()'s timeout, ran out. */
  | "timeout"
  /** The caller's AbortSignal fired. */
  | "aborted"
  /** A reply that is not what the API sends (a proxy's HTML page, a truncated body). */
  | "unexpected-response";

/** A code the server may add later still arrives, as its slug. */
export type ErrorCode = ProblemCode | ClientCode | (string & {});

const PROBLEM_PREFIX = "urn:edgestate:problem:";

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: { pointer: string; message: string }[];
}

export class EdgestateError extends Error {
  override readonly name = "EdgestateError";
  /** The problem type's slug (`not-found`, `precondition-failed`, …) or a ClientCode. */
  readonly code: ErrorCode;
  /** The HTTP status; 0 when no reply came. */
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** Validation problems: a JSON Pointer into the request and what is wrong there. */
  readonly errors: { pointer: string; message: string }[];
  /** The server's request id (the problem's `instance`, or the Request-Id header). */
  readonly requestId: string | null;
  /** The Retry-After the server sent, in milliseconds, if any. */
  readonly retryAfterMs: number | null;
  /** How many requests the call sent before giving up. */
  readonly attempts: number;
  /** The whole problem document, members beyond RFC 9457's included (a transaction's `failures`). */
  readonly problem: Record<string, unknown> | null;

  constructor(
    init: {
      code: ErrorCode;
      status: number;
      type?: string;
      title: string;
      detail: string;
      errors?: { pointer: string; message: string }[];
      requestId?: string | null;
      retryAfterMs?: number | null;
      attempts?: number;
      problem?: Record<string, unknown> | null;
    },
    options?: { cause?: unknown },
  ) {
    super(`${init.title}: ${init.detail}`, options);
    this.code = init.code;
    this.status = init.status;
    this.type = init.type ?? `${PROBLEM_PREFIX}${init.code}`;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.attempts = init.attempts ?? 1;
    this.problem = init.problem ?? null;
  }
}

/** True for an EdgestateError, optionally of one code: `isEdgestateError(e, "not-found")`. */
export function isEdgestateError(error: unknown, code?: ErrorCode): error is EdgestateError {
  return error instanceof EdgestateError && (code === undefined || error.code === code);
}

/** The code of a problem type: its slug after the urn prefix, else the status's generic code. */
export function codeOfProblem(type: string | undefined, status: number): ErrorCode {
  if (type?.startsWith(PROBLEM_PREFIX)) return type.slice(PROBLEM_PREFIX.length);
  return STATUS_CODES[status] ?? (status >= 500 ? "internal-server-error" : "bad-request");
}

const STATUS_CODES: Record<number, ProblemCode> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  412: "precondition-failed",
  413: "content-too-large",
  415: "unsupported-media-type",
  422: "idempotency-mismatch",
  429: "too-many-requests",
  503: "service-unavailable",
  508: "loop-detected",
};

/** The error for a non-2xx reply: from its problem document when it has one. */
export async function errorFromResponse(
  res: Response,
  attempts: number,
  retryAfterMs: number | null,
): Promise<EdgestateError> {
  let problem: ProblemDetails = {};
  let document: Record<string, unknown> | null = null;
  const text = await res.text().catch(() => "");
  if (/json/i.test(res.headers.get("Content-Type") ?? "")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        problem = parsed as ProblemDetails;
        document = parsed as Record<string, unknown>;
      }
    } catch {
      // a body that is not JSON keeps the status's generic problem
    }
  }
  return new EdgestateError({
    code: codeOfProblem(problem.type, res.status),
    status: res.status,
    ...(problem.type !== undefined ? { type: problem.type } : {}),
    title: problem.title ?? (res.statusText || `HTTP ${res.status}`),
    detail: problem.detail ?? text.slice(0, 200),
    errors: Array.isArray(problem.errors) ? problem.errors : [],
    requestId: problem.instance ?? res.headers.get("Request-Id"),
    retryAfterMs,
    attempts,
    problem: document,
  });
}
