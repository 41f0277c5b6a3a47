// What crosses RPC for an idempotent write. Objects never see an Idempotency-Key in clear: they
// get a domain-separated digest of it and a salted fingerprint of the whole request (made by
// crypto/idempotency-digests.ts).
import type { Result } from "./result";

export interface IdempotencyDigests {
  key: string;
  fingerprint: string;
}

/** What every idempotent request brings: the digests (when it carried a key) and its own request id. */
export interface Keyed {
  idempotency?: IdempotencyDigests;
  requestId: string;
}

/**
 * A write's reply. A replay returns the first reply unchanged, including the request id its
 * problem documents carried, so the replay is byte-for-byte the first response.
 */
export interface Reply<T> {
  outcome: Result<T>;
  requestId: string;
  replayed: boolean;
}

/** Where a key comes from; the two never collide on one object. */
export type KeySource = "client" | "task";

/** Refusals a retry may not meet again: the server's own fault, or a "come back later". */
const TRANSIENT = new Set<string>([
  "key_unavailable",
  "undecryptable",
  "unavailable",
  "internal",
  "rate_limited",
  "transaction_conflict",
]);

/**
 * Whether a reply may be kept under its key. A transient refusal that changed nothing is not: the
 * retry the key exists for must run again, not replay a 5xx (a key missing from the ring, put
 * back) or a conflict for 24 hours.
 */
export const keepsUnderKey = (outcome: Result<unknown>, changed: boolean): boolean =>
  outcome.ok || changed || (!TRANSIENT.has(outcome.code) && outcome.retryAfterSeconds === undefined);
