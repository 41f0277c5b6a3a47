// Expected failures cross Durable Object RPC as values: a thrown error keeps only its message
// (and own props) across RPC, so every object method returns a Result with a closed code union.
// The one mapping from code to HTTP status lives in src/http/error-status.ts.

export type ErrorCode =
  | "not_found"
  | "precondition_failed"
  | "conflict"
  | "patch_failed"
  | "idempotency_mismatch"
  | "invalid"
  | "payload_too_large"
  | "unauthorized"
  | "forbidden"
  | "key_unavailable"
  | "undecryptable"
  | "unavailable"
  | "unsupported_media_type"
  | "not_acceptable"
  | "method_not_allowed"
  | "rate_limited"
  | "loop_detected"
  | "transaction_canceled"
  | "transaction_conflict"
  | "unique_violation"
  | "internal";

export interface Failure<C extends ErrorCode = ErrorCode> {
  ok: false;
  code: C;
  detail: string;
  /** The entity's current version, where a client needs it to retry (412 carries an ETag). */
  currentVersion?: number;
  /** Validation problems: JSON Pointer into the request and what is wrong there. */
  errors?: { pointer: string; message: string }[];
  /** A transaction's operations that failed, each with its own failure (core/transactions). */
  failures?: OperationFailure[];
  /** When a retry may succeed (Retry-After): the refusal is transient. */
  retryAfterSeconds?: number;
}

/** One operation of a refused transaction: its place in the request and why it failed. */
export interface OperationFailure {
  index: number;
  code: ErrorCode;
  detail: string;
  currentVersion?: number;
}

export interface Success<T> {
  ok: true;
  value: T;
}

export type Result<T, C extends ErrorCode = ErrorCode> = Success<T> | Failure<C>;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });

export const fail = <C extends ErrorCode>(
  code: C,
  detail: string,
  extra: Omit<Failure<C>, "ok" | "code" | "detail"> = {},
): Failure<C> => ({ ok: false, code, detail, ...extra });

export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
