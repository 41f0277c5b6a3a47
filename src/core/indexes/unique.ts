// Unique indexes: who may hold a key value. Each value of a unique index has one claim object
// (objects/unique-key-object.ts) naming the entity that holds it. A write that gives an entity the
// value claims it first; the claim asks the entity named there whether it still holds the value,
// and takes the claim over when it does not (it changed, was deleted, or expired), so the claim
// never needs to be released for the rule to hold. This is the claim's decision.
import type { Result } from "../result";

/** A last word on a new document (JSON text, null for a delete) before it is stored: its claims. */
export type Admit = (body: string | null) => Promise<Result<void>>;

/** What the entity a claim names says of the value (EntityObject.uniqueHolder). */
export interface HolderState {
  /** One of its writes is claiming the value right now (in memory: it ends with that write). */
  claiming: boolean;
  /** Its committed, live document has the value. */
  live: boolean;
  /** A transaction holds it with a staged version that has the value: that transaction's id. */
  stagedBy: string | null;
}

/**
 * "take": the value is free; "taken": another entity holds it (a unique violation); "wait": a
 * write or a transaction that may give it the value is not decided yet.
 */
export type ClaimVerdict = "take" | "taken" | "wait";

/** `transaction`: the claimant's transaction, or null for a single write. */
export function judgeClaim(holder: HolderState, transaction: string | null): ClaimVerdict {
  if (holder.live) return "taken";
  // Two entities of one transaction with the same value: the transaction cannot commit.
  if (holder.stagedBy !== null) return holder.stagedBy === transaction ? "taken" : "wait";
  return holder.claiming ? "wait" : "take";
}
