// The JSON every watcher receives, built as text: a document's body is JSON text already, so it is
// inserted as it is rather than parsed and written again for every watcher.
import { isoTime } from "../clock";
import type { EntityOp } from "../entity/contract";
import type { WatchMessage } from "./contract";

const iso = (ms: number | null) => (ms === null ? "null" : `"${isoTime(ms)}"`);

export interface VersionFacts {
  version: number;
  op: EntityOp;
  at: number;
  /** JSON text; null for a delete. */
  body: string | null;
  expiresAt: number | null;
}

/** A committed entity version: `version` for a put or patch, `deleted` for a delete. */
export function entityVersion(v: VersionFacts): WatchMessage {
  if (v.op === "delete" || v.body === null)
    return { seq: v.version, text: `{"type":"deleted","version":${v.version}}` };
  return {
    seq: v.version,
    text:
      `{"type":"version","version":${v.version},"op":"${v.op}","at":${iso(v.at)},` +
      `"body":${v.body},"expiresAt":${iso(v.expiresAt)}}`,
  };
}

export const missing: WatchMessage = { text: '{"type":"missing"}' };
export const expired: WatchMessage = { text: '{"type":"expired"}' };
export const revoked: WatchMessage = { text: '{"type":"revoked"}' };

export const gap = (oldest: number | null): WatchMessage => ({
  text: `{"type":"gap","oldest":${oldest === null ? "null" : oldest}}`,
});

/** A session's data at a version (`data` is JSON text of an object). */
export const sessionData = (version: number, data: string): WatchMessage => ({
  seq: version,
  text: `{"type":"data","version":${version},"data":${data}}`,
});

/** One history event, in the shape `GET …/history` lists it. */
export const executionEvent = (event: { id: number }): WatchMessage => ({
  seq: event.id,
  text: `{"type":"event","event":${JSON.stringify(event)}}`,
});

/** An execution's status, as `GET …/executions/{execution}` describes it. */
export const executionStatus = (description: object): WatchMessage => ({
  text: `{"type":"status","execution":${JSON.stringify(description)}}`,
});
