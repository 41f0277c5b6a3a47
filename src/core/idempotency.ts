// What crosses RPC for an idempotent write, and how its digests are made. Objects never see an
// Idempotency-Key in clear: they get a domain-separated digest of it (the record's key, stable
// across key rotation) and a fingerprint of the whole request salted with the raw key, so a stored
// fingerprint cannot confirm a guessed body without the key itself. The same function serves
// clients' keys (HTTP) and the keys tasks of an execution derive, so both are salted alike.
import { sha256Hex } from "../crypto/digest";
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

const LABELS: Record<KeySource, { key: string; request: string }> = {
  client: { key: "edgestate/idempotency-key/v1", request: "edgestate/request/v1" },
  task: { key: "edgestate/task-idempotency-key/v1", request: "edgestate/task-request/v1" },
};

/** `request` is everything that makes two requests the same one, in a canonical text. */
export async function idempotencyDigests(
  source: KeySource,
  rawKey: string,
  request: string,
): Promise<IdempotencyDigests> {
  const labels = LABELS[source];
  const [key, fingerprint] = await Promise.all([
    sha256Hex(`${labels.key}\n${rawKey}`),
    sha256Hex(`${labels.request}\n${rawKey}\n${request}`),
  ]);
  return { key, fingerprint };
}
