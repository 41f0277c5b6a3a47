// The shapes that cross the Worker ↔ SessionObject ↔ SubjectObject RPC boundaries: the contract
// of both objects, in one place.
import type { WriteRequest } from "../entity/contract";
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";

export interface SessionAddress {
  tenant: string;
  id: string;
}

export interface SubjectAddress {
  tenant: string;
  subject: string;
}

/** How long a session lives, in seconds, as validated from a create request. */
export interface SessionLifetime {
  ttl: number;
  absoluteTtl: number;
  sliding: boolean;
}

/** One session as the object holds it (times in epoch milliseconds); `data` is never here. */
export interface SessionRecord {
  id: string;
  tenant: string;
  subject: string | null;
  version: number;
  createdAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  sliding: boolean;
  /** Seconds. */
  ttl: number;
  /** When `expiresAt` was last stored: the sliding rule counts from here. */
  extendedAt: number;
  revokedAt: number | null;
}

export interface CreateSessionRequest extends WriteRequest {
  subject: string | null;
  /** JSON text of a JSON object. */
  data: string;
  lifetime: SessionLifetime;
}

export interface PatchSessionRequest extends WriteRequest {
  /** JSON text of an RFC 7396 merge patch (a JSON object) applied to `data`. */
  patch: string;
}

/** A session as a reply carries it: `body` is the JSON text the client receives. */
export interface SessionState {
  version: number;
  body: string;
  createdAt: number;
  expiresAt: number;
}

export type SessionWrite = { session: SessionState | null; created: boolean };
export type SessionOutcome = Result<SessionWrite>;
export type SessionReply = Reply<SessionWrite>;

/** What a subject's index learns from a session, without extending it. */
export type SessionStatus = { live: true; createdAt: number; expiresAt: number } | { live: false };

export interface SubjectSessionItem {
  id: string;
  createdAt: number;
  expiresAt: number;
}

/** What one session's object answers; SessionObject implements it. */
export interface SessionApi {
  create(address: SessionAddress, request: CreateSessionRequest): Promise<SessionReply>;
  get(address: SessionAddress): Promise<Result<SessionState>>;
  patch(address: SessionAddress, request: PatchSessionRequest): Promise<SessionReply>;
  revoke(address: SessionAddress, request: WriteRequest): Promise<SessionReply>;
  /** For the subject's index: revoke without calling back; true when it was live until now. */
  end(): Promise<boolean>;
  status(): Promise<SessionStatus>;
}

/** What one subject's index answers; SubjectObject implements it. */
export interface SubjectApi {
  create(address: SubjectAddress, id: string, request: CreateSessionRequest): Promise<SessionReply>;
  list(address: SubjectAddress): Promise<SubjectSessionItem[]>;
  revokeAll(address: SubjectAddress, request: RevokeAllRequest): Promise<Reply<{ revoked: number }>>;
  forget(id: string): Promise<void>;
}

/** "Log out everywhere" takes an Idempotency-Key like every mutation. */
export type RevokeAllRequest = Keyed;
