// Serving a watch route: which transport the client asked for, where it resumes, and the forward
// to the watched object, which holds every watcher as a hibernatable WebSocket. A WebSocket client
// is handed the object's socket itself; an SSE client gets a stream the Worker feeds from it.
import type { Context } from "hono";
import type { Failure } from "../../core/result";
import { WATCH_HEADER, type WatchRequest, type WatchTransport } from "../../core/watch/contract";
import type { AppEnv } from "../app-env";
import { badRequest, fromFailure, problem } from "../problem";
import { sseStream } from "./sse-stream";

/** The part of a Durable Object stub a watch needs. */
export interface Watchable {
  fetch(request: Request): Promise<Response>;
}

function transportOf(c: Context<AppEnv>): WatchTransport {
  if (c.req.header("Upgrade")?.toLowerCase() === "websocket") return "websocket";
  if (/(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(c.req.header("Accept") ?? "")) return "sse";
  throw problem(
    "not_acceptable",
    "watch with a WebSocket (Upgrade: websocket) or Server-Sent Events (Accept: text/event-stream)",
  );
}

/** SSE's Last-Event-ID (an EventSource reconnecting) wins over `?since`, which it was opened with. */
function resumeOf(c: Context<AppEnv>, transport: WatchTransport): { since: number | null; resumed: boolean } {
  const lastEventId = transport === "sse" ? c.req.header("Last-Event-ID") : undefined;
  if (lastEventId !== undefined && lastEventId !== "") {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(lastEventId))
      throw badRequest("Last-Event-ID must be a whole number (the id of the last event received)", [
        { pointer: "/headers/last-event-id", message: "must be a whole number" },
      ]);
    return { since: Number(lastEventId), resumed: true };
  }
  const since = c.req.query("since");
  return { since: since === undefined ? null : Number(since), resumed: false };
}

export async function serveWatch(c: Context<AppEnv>, target: Watchable, address: unknown): Promise<Response> {
  const transport = transportOf(c);
  const principal = c.get("principal")!;
  const request: WatchRequest = {
    address,
    ...resumeOf(c, transport),
    keyId: principal.kind === "key" ? principal.id : null,
    transport,
  };
  const reply = await target.fetch(
    new Request("https://watch.internal/", {
      headers: { Upgrade: "websocket", [WATCH_HEADER]: JSON.stringify(request) },
    }),
  );
  if (reply.status === 204) return c.body(null, 204);
  const ws = reply.webSocket;
  if (reply.status !== 101 || !ws) {
    const failure = (await reply.json()) as Failure;
    throw fromFailure(failure, failure.code === "unavailable" ? { "Retry-After": "5" } : undefined);
  }
  // A response of our own, so middleware may add headers (the object's is immutable).
  if (transport === "websocket") return new Response(null, { status: 101, webSocket: ws });
  return new Response(sseStream(ws), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Proxies that buffer responses (nginx) would hold events back.
      "X-Accel-Buffering": "no",
    },
  });
}
