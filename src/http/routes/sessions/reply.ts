// Shaping session results into HTTP: the same version headers as entities, and never cacheable.
import type { Context } from "hono";
import { isoTime } from "../../../core/clock";
import { etagOf } from "../../../core/entity/preconditions";
import type { SessionReply, SessionState } from "../../../core/session/session";
import type { AppEnv } from "../../app-env";
import { fromFailure, problemResponse } from "../../problem";
import type { UntypedResponse } from "../entities/reply";

/** Session data belongs to one user: no shared cache may keep it. */
export const NO_STORE = { "Cache-Control": "no-store" };

export function sessionHeaders(state: SessionState): Record<string, string> {
  return {
    ETag: etagOf(state.version),
    "Edgestate-Version": String(state.version),
    "Edgestate-Expires": isoTime(state.expiresAt),
    ...NO_STORE,
  };
}

/**
 * A write's reply, built only from what the object returned, so an idempotent replay (same stored
 * outcome, same original request id) is byte-for-byte the first response.
 */
export function sessionWriteResponse(c: Context<AppEnv>, reply: SessionReply, id: string): UntypedResponse {
  return build(c, reply, id) as UntypedResponse;
}

function build(c: Context<AppEnv>, reply: SessionReply, id: string): Response {
  const replay: Record<string, string> = reply.replayed ? { "Idempotent-Replayed": "true" } : {};
  const { outcome } = reply;
  if (!outcome.ok) {
    const etag: Record<string, string> =
      outcome.currentVersion !== undefined ? { ETag: etagOf(outcome.currentVersion) } : {};
    return problemResponse(c, fromFailure(outcome, { ...etag, ...replay }).init, reply.requestId);
  }
  const { session, created } = outcome.value;
  if (!session) return c.body(null, 204, replay);
  const location = created ? { Location: `/v1/sessions/${id}` } : {};
  return c.body(session.body, created ? 201 : 200, {
    "Content-Type": "application/json",
    ...sessionHeaders(session),
    ...location,
    ...replay,
  });
}
