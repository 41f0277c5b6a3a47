// The shapes that cross RPC for transactions across entities: the Worker → coordinator
// (TransactionObject) call, the coordinator → participant (EntityObject) calls of two-phase commit,
// and the participant → coordinator question a held entity asks when no decision reached it.
import type { EntityAddress } from "../entity/contract";
import type { WriteCommand } from "../entity/decide";
import type { Precondition } from "../entity/preconditions";
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";

/** At most this many operations (and items in a transactional read), as DynamoDB allows. */
export const MAX_OPERATIONS = 100;

/** What one operation does to its entity: a write as a single request would make it, or a check. */
export type OperationCommand = WriteCommand | { op: "check"; precondition: Precondition };

export type OperationKind = OperationCommand["op"];

export interface Operation {
  type: string;
  id: string;
  command: OperationCommand;
}

/** A transaction's coordinator: its object's name within the tenant (derived from an Idempotency-Key, or random). */
export interface TransactionAddress {
  tenant: string;
  name: string;
}

export interface TransactionRequest extends Keyed {
  /** Each on a distinct entity (the Worker refuses duplicates). */
  operations: Operation[];
}

/** `version`: the version written (put, patch) or seen (check); null after a delete or for a missing entity. */
export interface OperationResult {
  type: string;
  id: string;
  version: number | null;
}

export interface TransactionResult {
  /** The id participants are held under while it runs (shown by a held entity's reads). */
  transaction: string;
  results: OperationResult[];
}

export type TransactionReply = Reply<TransactionResult>;

/** Phase one, to a participant: stage `command` under `transaction` and hold the entity. */
export interface PrepareRequest {
  transaction: string;
  /** The coordinator's object name, for the participant to ask when no decision reaches it. */
  coordinator: string;
  /**
   * When the transaction's first attempt began: at a hold, an older transaction waits and a younger
   * one gives way (wait-die), so waits only ever point from older to younger and cannot form a cycle.
   */
  age: number;
  command: OperationCommand;
}

/** What a participant staged: the version it will write (put, patch) or saw (check); null for a delete. */
export interface Prepared {
  version: number | null;
}

export type Verdict = "commit" | "abort";

/** A coordinator's answer to a held participant asking about its transaction. */
export type Resolution = { verdict: Verdict } | { verdict: "undecided"; retryAfterMs: number };

/** One entity as a transactional read sees it: `token` changes with every commit and with expiry. */
export interface SnapshotRead {
  token: string;
  /** The live version; null when there is no live document. */
  version: number | null;
  /** JSON text when asked for and live. */
  body?: string | null;
  held: boolean;
}

/** What an entity answers as a participant of two-phase commit (EntityObject implements it). */
export interface ParticipantApi {
  prepare(address: EntityAddress, request: PrepareRequest): Promise<Result<Prepared>>;
  /** Phase two: applies (commit) or drops (abort) what `transaction` staged; a repeat is a no-op. */
  finish(address: EntityAddress, transaction: string, verdict: Verdict): Promise<Result<void>>;
  /** A read for a transactional read; waits up to `waitMs` for a hold to end first. */
  snapshot(address: EntityAddress, options: { body: boolean; waitMs: number }): Promise<Result<SnapshotRead>>;
}

/** What a transaction's coordinator answers (TransactionObject implements it). */
export interface CoordinatorApi {
  run(address: TransactionAddress, request: TransactionRequest): Promise<TransactionReply>;
  resolve(transaction: string): Promise<Resolution>;
}
