// What each watch sends (README, "Watching changes"; built in src/core/watch/messages.ts). The
// stream's messages have no schema in /openapi.json (it documents the stream as text), so their
// types are written here; the descriptions and history events inside them are the API's own.
import type { ReplyBody, Schemas } from "./wire.ts";

type ExecutionDescription = Schemas["ExecutionDescription"];
type HistoryEvent = ReplyBody<
  "/v1/machines/{name}/executions/{execution}/history",
  "get",
  200
>["events"][number];

/** What `since` asked for is no longer kept: the current state follows. */
export interface Gap {
  type: "gap";
  oldest: number | null;
}

export type EntityWatchMessage<T = unknown> =
  | { type: "version"; version: number; op: "put" | "patch"; at: string; body: T; expiresAt: string | null }
  | { type: "deleted"; version: number }
  | { type: "expired" }
  | { type: "missing" }
  | Gap;

export type SessionWatchMessage =
  | { type: "data"; version: number; data: Record<string, unknown> }
  | { type: "revoked" }
  | { type: "expired" }
  | Gap;

export type ExecutionWatchMessage =
  | { type: "status"; execution: ExecutionDescription }
  | { type: "event"; event: HistoryEvent }
  | Gap;

/**
 * A query's watch: its first page (the very reply `…/query` gives, so its type is that reply's),
 * then entities entering, changing within and leaving the query's key and range. No resume: after
 * a drop it starts again with a page.
 */
export type QueryWatchMessage<T = unknown> =
  | ({ type: "page" } & ReplyBody<"/v1/indexes/{type}/{index}/query", "post", 200>)
  | { type: "added" | "changed"; id: string; version: number; updatedAt: string; sort?: unknown; body?: T }
  | { type: "removed"; id: string; version: number };

export type Ticket = ReplyBody<"/v1/tickets", "post", 201>;
