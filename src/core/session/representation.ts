// The JSON a client receives for a session, built once by the object so that an idempotent replay
// returns exactly the bytes of the first reply.
import { isoTime } from "../clock";
import type { SessionRecord, SessionState } from "./contract";

/** `data` is JSON text of an object, inserted as-is (it was produced by JSON.stringify). */
export function sessionState(r: SessionRecord, data: string, expiresAt = r.expiresAt): SessionState {
  const body =
    `{"id":${JSON.stringify(r.id)},"subject":${JSON.stringify(r.subject)},"data":${data},` +
    `"version":${r.version},"createdAt":"${isoTime(r.createdAt)}","expiresAt":"${isoTime(expiresAt)}",` +
    `"absoluteExpiresAt":"${isoTime(r.absoluteExpiresAt)}"}`;
  return { version: r.version, body, createdAt: r.createdAt, expiresAt };
}
