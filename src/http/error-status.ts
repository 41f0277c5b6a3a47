// The one mapping from a Result failure code to HTTP: status, title and the problem's type slug.
// Every problem a client sees goes through it (problem.ts), whether an object returned the
// failure or a route or middleware refused the request.
import { assertNever, type ErrorCode } from "../core/result";

export interface HttpProblem {
  status: number;
  title: string;
  /** `urn:edgestate:problem:<slug>` */
  slug: string;
}

export function statusOf(code: ErrorCode): HttpProblem {
  switch (code) {
    case "not_found":
      return { status: 404, title: "Not Found", slug: "not-found" };
    case "precondition_failed":
      return { status: 412, title: "Precondition Failed", slug: "precondition-failed" };
    case "conflict":
      return { status: 409, title: "Conflict", slug: "conflict" };
    case "patch_failed":
      return { status: 409, title: "Patch Cannot Be Applied", slug: "patch-failed" };
    case "idempotency_mismatch":
      return { status: 422, title: "Idempotency Key Reused", slug: "idempotency-mismatch" };
    case "invalid":
      return { status: 400, title: "Bad Request", slug: "bad-request" };
    case "payload_too_large":
      return { status: 413, title: "Content Too Large", slug: "content-too-large" };
    case "unauthorized":
      return { status: 401, title: "Unauthorized", slug: "unauthorized" };
    case "forbidden":
      return { status: 403, title: "Forbidden", slug: "forbidden" };
    case "key_unavailable":
      return { status: 500, title: "Encryption Key Unavailable", slug: "key-unavailable" };
    case "undecryptable":
      return { status: 500, title: "Stored Data Cannot Be Decrypted", slug: "undecryptable" };
    case "unavailable":
      return { status: 503, title: "Service Unavailable", slug: "service-unavailable" };
    case "unsupported_media_type":
      return { status: 415, title: "Unsupported Media Type", slug: "unsupported-media-type" };
    case "not_acceptable":
      return { status: 406, title: "Not Acceptable", slug: "not-acceptable" };
    case "method_not_allowed":
      return { status: 405, title: "Method Not Allowed", slug: "method-not-allowed" };
    case "rate_limited":
      return { status: 429, title: "Too Many Requests", slug: "too-many-requests" };
    case "loop_detected":
      return { status: 508, title: "Loop Detected", slug: "loop-detected" };
    case "transaction_canceled":
      return { status: 409, title: "Transaction Canceled", slug: "transaction-canceled" };
    case "transaction_conflict":
      return { status: 409, title: "Transaction Conflict", slug: "transaction-conflict" };
    case "unique_violation":
      return { status: 409, title: "Unique Violation", slug: "unique-violation" };
    case "internal":
      return { status: 500, title: "Internal Server Error", slug: "internal-server-error" };
    default:
      return assertNever(code, "error code");
  }
}

/** The code of an error Hono raised itself (a body it could not read, …), by its status. */
export function codeOfStatus(status: number): ErrorCode {
  const codes: Record<number, ErrorCode> = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
  };
  return codes[status] ?? (status < 500 ? "invalid" : "internal");
}
