// The shapes that cross the Worker ↔ SessionObject ↔ SubjectObject RPC boundaries.
import type { WriteRequest } from "../entity/entity";
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

export type SessionOutcome = Result<{ session: SessionState | null; created: boolean }>;

/**
 * What a session write returns. A replay returns the first reply unchanged, including the request
 * id its problem documents carried, so the replay is byte-for-byte the first response.
 */
export interface SessionReply {
  outcome: SessionOutcome;
  requestId: string;
  replayed: boolean;
}

/** What a subject's index learns from a session, without extending it. */
export type SessionStatus = { live: true; createdAt: number; expiresAt: number } | { live: false };

export interface SubjectSessionItem {
  id: string;
  createdAt: number;
  expiresAt: number;
}
