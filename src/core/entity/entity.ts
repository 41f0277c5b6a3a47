// The shapes that cross the Worker ↔ EntityObject RPC boundary.
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

export interface WriteRequest {
  precondition: Precondition;
  /** Present when the client sent Idempotency-Key; fingerprint = hash of method, path, query and body. */
  idempotency?: { key: string; fingerprint: string };
  requestId: string;
}

export interface PutRequest extends WriteRequest {
  body: string;
  ttl: TtlChange;
}

export interface PatchRequest extends WriteRequest {
  patch: PatchDocument;
  ttl: TtlChange;
}

export type WriteOutcome = Result<{ state: EntityState | null; created: boolean }>;

/**
 * What a write returns. An idempotent replay returns the first reply unchanged, including the
 * request id its problem documents carried, so the replay is byte-for-byte the first response.
 */
export interface WriteReply {
  outcome: WriteOutcome;
  requestId: string;
  replayed: boolean;
}
