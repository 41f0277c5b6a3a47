// Shaping entity results into HTTP: one set of headers for every reply that carries a version.
import type { Context } from "hono";
import type { EntityState, WriteReply } from "../../../core/entity/contract";
import { etagOf } from "../../../core/entity/preconditions";
import type { AppEnv } from "../../app-env";
import { storedReplyResponse, type UntypedResponse } from "../../stored-reply";

export function entityHeaders(state: EntityState): Record<string, string> {
  return {
    ETag: etagOf(state.version),
    "Last-Modified": new Date(state.updatedAt).toUTCString(),
    "Edgestate-Version": String(state.version),
    ...(state.expiresAt !== null ? { "Edgestate-Expires": new Date(state.expiresAt).toISOString() } : {}),
  };
}

/** A write's reply: the new document (201 or 200), 204 for a delete, or the stored problem. */
export function writeResponse(c: Context<AppEnv>, reply: WriteReply): UntypedResponse {
  return storedReplyResponse(c, reply, ({ state, created, deletedVersion }, replay) => {
    if (!state) {
      const version: Record<string, string> =
        deletedVersion !== undefined ? { "Edgestate-Version": String(deletedVersion) } : {};
      return c.body(null, 204, { ...version, ...replay });
    }
    const location = created ? { Location: new URL(c.req.url).pathname } : {};
    return c.body(state.body, created ? 201 : 200, {
      "Content-Type": "application/json",
      ...entityHeaders(state),
      ...location,
      ...replay,
    });
  });
}
