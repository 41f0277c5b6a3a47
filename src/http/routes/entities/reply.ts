// Shaping entity results into HTTP: one set of headers for every reply that carries a version.
import type { Context } from "hono";
import type { EntityState, WriteReply } from "../../../core/entity/entity";
import { etagOf } from "../../../core/entity/preconditions";
import type { AppEnv } from "../../app-env";
import { fromFailure, problemResponse } from "../../problem";

export function entityHeaders(state: EntityState): Record<string, string> {
  return {
    ETag: etagOf(state.version),
    "Last-Modified": new Date(state.updatedAt).toUTCString(),
    "Edgestate-Version": String(state.version),
    ...(state.expiresAt !== null ? { "Edgestate-Expires": new Date(state.expiresAt).toISOString() } : {}),
  };
}

/**
 * A write's reply, built only from what the object returned, so an idempotent replay (same
 * stored outcome, same original request id) is byte-for-byte the first response.
 */
export function writeResponse(c: Context<AppEnv>, reply: WriteReply): UntypedResponse {
  return buildWriteResponse(c, reply) as UntypedResponse;
}

/**
 * A reply whose status and body come from a stored outcome (201, 200, 204 or any problem) cannot
 * be typed per status for the RPC client; the OpenAPI document still describes every case.
 */
export type UntypedResponse = never;

function buildWriteResponse(c: Context<AppEnv>, reply: WriteReply): Response {
  const replay: Record<string, string> = reply.replayed ? { "Idempotent-Replayed": "true" } : {};
  const { outcome } = reply;
  if (!outcome.ok) {
    const etag: Record<string, string> =
      outcome.currentVersion !== undefined ? { ETag: etagOf(outcome.currentVersion) } : {};
    return problemResponse(c, fromFailure(outcome, { ...etag, ...replay }).init, reply.requestId);
  }
  const { state, created } = outcome.value;
  if (!state) return c.body(null, 204, replay);
  const location = created ? { Location: new URL(c.req.url).pathname } : {};
  return c.body(state.body, created ? 201 : 200, {
    "Content-Type": "application/json",
    ...entityHeaders(state),
    ...location,
    ...replay,
  });
}
