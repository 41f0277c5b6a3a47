// From every participant's answer to phase one, the coordinator's verdict and the reply: commit
// only when every operation was staged; otherwise abort, naming every operation that failed.
// Which refusal the client gets depends on whether retrying can help:
//   - a condition or a patch failed (or a document is too large): 409 transaction-canceled,
//     replayed to a retry under the same Idempotency-Key, since the same request fails the same way;
//   - only holds by other transactions stood in the way: 409 transaction-conflict with Retry-After;
//   - a participant could not be reached or answer: its own code (503 …), with Retry-After.
// The last two are not recorded under an Idempotency-Key, so a retry runs the transaction again.
import { type ErrorCode, type Failure, fail, type OperationFailure, ok, type Result } from "../result";
import type { Operation, Prepared, TransactionResult, Verdict } from "./contract";

/** Seconds a client is told to wait after a conflict: holds last milliseconds when all is well. */
export const CONFLICT_RETRY_AFTER_S = 1;

/** Failures that say the request itself cannot succeed as it stands. */
const DEFINITIVE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "precondition_failed",
  "not_found",
  "patch_failed",
  "payload_too_large",
  "invalid",
  "conflict",
  "unique_violation",
]);

export interface TransactionOutcome {
  verdict: Verdict;
  outcome: Result<TransactionResult>;
  /** Whether the reply is the request's for good (an Idempotency-Key replays it). */
  recorded: boolean;
}

export function decideTransaction(
  transaction: string,
  operations: Operation[],
  answers: Result<Prepared>[],
): TransactionOutcome {
  const failures: OperationFailure[] = [];
  answers.forEach((answer, index) => {
    if (!answer.ok) failures.push(failureOf(index, answer));
  });
  if (failures.length === 0) {
    const results = operations.map(({ type, id }, i) => {
      const answer = answers[i] as { ok: true; value: Prepared };
      return { type, id, version: answer.value.version };
    });
    return { verdict: "commit", outcome: ok({ transaction, results }), recorded: true };
  }
  const of = `${failures.length} of ${operations.length} operation${operations.length === 1 ? "" : "s"}`;
  if (failures.some((f) => DEFINITIVE.has(f.code))) {
    const detail = `transaction ${transaction} was canceled: ${of} failed, and nothing was applied`;
    return abort(fail("transaction_canceled", detail, { failures }), true);
  }
  if (failures.every((f) => f.code === "transaction_conflict")) {
    const detail = `transaction ${transaction} was not applied: ${of} are held by other transactions; retry`;
    const extra = { failures, retryAfterSeconds: CONFLICT_RETRY_AFTER_S };
    return abort(fail("transaction_conflict", detail, extra), false);
  }
  const first = failures.find((f) => f.code !== "transaction_conflict")!;
  const detail = `transaction ${transaction} was not applied: ${first.detail}`;
  return abort(fail(first.code, detail, { failures, retryAfterSeconds: CONFLICT_RETRY_AFTER_S }), false);
}

const abort = (outcome: Failure, recorded: boolean): TransactionOutcome => ({
  verdict: "abort",
  outcome,
  recorded,
});

function failureOf(index: number, failure: Failure): OperationFailure {
  const { code, detail, currentVersion } = failure;
  return { index, code, detail, ...(currentVersion !== undefined ? { currentVersion } : {}) };
}
