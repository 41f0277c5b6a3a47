// The digests an object gets for an Idempotency-Key: a domain-separated digest of the key (the
// record's key, stable across key rotation) and a fingerprint of the whole request salted with
// the raw key, so a stored fingerprint cannot confirm a guessed body without the key itself. The
// same function serves clients' keys (HTTP) and the keys tasks of an execution derive, so both
// are salted alike.
import type { IdempotencyDigests, KeySource } from "../core/idempotency";
import { sha256Hex } from "./digest";

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
