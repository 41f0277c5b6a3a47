// The one mapping from a Result failure code to HTTP.
import { assertNever, type ErrorCode } from "../core/result";

export function statusOf(code: ErrorCode): { status: number; title: string } {
  switch (code) {
    case "not_found":
      return { status: 404, title: "Not Found" };
    case "precondition_failed":
      return { status: 412, title: "Precondition Failed" };
    case "conflict":
      return { status: 409, title: "Conflict" };
    case "patch_failed":
      return { status: 409, title: "Patch Cannot Be Applied" };
    case "idempotency_mismatch":
      return { status: 422, title: "Idempotency Key Reused" };
    case "invalid":
      return { status: 400, title: "Bad Request" };
    case "payload_too_large":
      return { status: 413, title: "Content Too Large" };
    case "unauthorized":
      return { status: 401, title: "Unauthorized" };
    case "forbidden":
      return { status: 403, title: "Forbidden" };
    case "key_unavailable":
      return { status: 500, title: "Encryption Key Unavailable" };
    case "undecryptable":
      return { status: 500, title: "Stored Data Cannot Be Decrypted" };
    case "unavailable":
      return { status: 503, title: "Service Unavailable" };
    default:
      return assertNever(code, "error code");
  }
}
