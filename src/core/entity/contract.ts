// The shapes that cross the Worker ↔ EntityObject RPC boundary (and the execution's entity
// tasks ↔ EntityObject one): the contract of one entity's object, in one place.
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";
import type { Precondition } from "./preconditions";

export interface EntityAddress {
  tenant: string;
  type: string;
  id: string;
}

export type EntityOp = "put" | "patch" | "delete";

/** One live version of an entity. `body` is JSON text: parsed once by whoever needs the value. */
export interface EntityState {
  version: number;
  body: string;
  updatedAt: number;
  expiresAt: number | null;
}

/** A transaction holding the entity (core/transactions): reads show the last committed version meanwhile. */
export interface HoldInfo {
  transaction: string;
  op: EntityOp | "check";
  since: number;
}

/** A strong read: the live version, and the transaction holding the entity while one does. */
export interface EntityRead extends EntityState {
  heldBy?: HoldInfo;
}

export interface HistoryItem {
  version: number;
  op: EntityOp;
  at: number;
  /** JSON text; null for a delete. */
  body: string | null;
}

export interface HistoryPage {
  items: HistoryItem[];
  cursor: string | null;
}

/** TTL as a write asks for it: seconds from now, "clear" (PUT without ttl) or "keep" (PATCH without ttl). */
export type TtlChange = { seconds: number } | "clear" | "keep";

export type PatchDocument = { kind: "merge"; patch: string } | { kind: "json"; patch: string };

export interface WriteRequest extends Keyed {
  precondition: Precondition;
}

export interface PutRequest extends WriteRequest {
  body: string;
  ttl: TtlChange;
}

export interface PatchRequest extends WriteRequest {
  patch: PatchDocument;
  ttl: TtlChange;
}

/** `deletedVersion`: a delete's tombstone version (absent from replies stored before it existed). */
export type WriteResult = { state: EntityState | null; created: boolean; deletedVersion?: number };
export type WriteOutcome = Result<WriteResult>;
export type WriteReply = Reply<WriteResult>;

/** What one entity's object answers; EntityObject implements it, and entity tasks call it. */
export interface EntityApi {
  get(
    address: EntityAddress,
    options?: { version?: number; refillCache?: boolean },
  ): Promise<Result<EntityRead>>;
  history(address: EntityAddress, page: { limit: number; before?: number }): Promise<Result<HistoryPage>>;
  put(address: EntityAddress, request: PutRequest): Promise<WriteReply>;
  patch(address: EntityAddress, request: PatchRequest): Promise<WriteReply>;
  delete(address: EntityAddress, request: WriteRequest): Promise<WriteReply>;
}
