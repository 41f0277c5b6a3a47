// Shaping session results into HTTP: the same version headers as entities, and never cacheable.
import type { Context } from "hono";
import { isoTime } from "../../../core/clock";
import { etagOf } from "../../../core/entity/preconditions";
import type { SessionReply, SessionState } from "../../../core/session/contract";
import type { AppEnv } from "../../app-env";
import { NO_STORE } from "../../contract/headers";
import { storedReplyResponse, type UntypedResponse } from "../../stored-reply";

export function sessionHeaders(state: SessionState): Record<string, string> {
  return {
    ETag: etagOf(state.version),
    "Edgestate-Version": String(state.version),
    "Edgestate-Expires": isoTime(state.expiresAt),
    ...NO_STORE,
  };
}

/** A write's reply: the session (201 or 200), 204 for a revocation, or the stored problem. */
export function sessionWriteResponse(c: Context<AppEnv>, reply: SessionReply, id: string): UntypedResponse {
  return storedReplyResponse(c, reply, ({ session, created }, replay) => {
    if (!session) return c.body(null, 204, replay);
    const location = created ? { Location: `/v1/sessions/${id}` } : {};
    return c.body(session.body, created ? 201 : 200, {
      "Content-Type": "application/json",
      ...sessionHeaders(session),
      ...location,
      ...replay,
    });
  });
}
