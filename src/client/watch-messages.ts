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

export type Ticket = ReplyBody<"/v1/tickets", "post", 201>;
