// Every watch route has the same contract: a GET answered with a WebSocket or Server-Sent Events,
// resumed with `?since=` or `Last-Event-ID`, authenticated by a bearer key or a single-use ticket.
import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import { replyHeaders } from "../contract/headers";
import { access, intQuery, problemContent } from "../schemas/common";

interface WatchRouteOptions<P extends z.ZodObject> {
  operationId: string;
  path: string;
  tags: string[];
  summary: string;
  /** What the messages are, in the operation's description. */
  description: string;
  params: P;
  /** What `since` counts: "version", "event id". */
  seq: string;
}

const STREAM =
  ' As a WebSocket (`Upgrade: websocket`): one JSON message per frame; send `{"type":"ping"}` at ' +
  'least every 30 s and the server answers `{"type":"pong"}`. As Server-Sent Events (`Accept: ' +
  "text/event-stream`): one `data:` line of JSON per event, `id:` where a message has a sequence " +
  "number, a `: ping` comment every 30 s, and an `event: close` with `{code, reason}` before the " +
  "stream ends. Close codes: 1000 the watch is over, 4401 the key was revoked, 4409 messages were " +
  "lost and 4429 slow consumer (both: resume with `since`).";

export function watchRoute<P extends z.ZodObject>(options: WatchRouteOptions<P>) {
  return createRoute({
    operationId: options.operationId,
    method: "get",
    path: options.path,
    tags: options.tags,
    summary: options.summary,
    description: options.description + STREAM,
    ...access("read", { ticket: true }),
    request: {
      params: options.params,
      query: z.object({
        since: intQuery(0, Number.MAX_SAFE_INTEGER, `Resume after this ${options.seq}`),
        ticket: z
          .string()
          .max(128)
          .optional()
          .openapi({ description: "A single-use ticket from POST /v1/tickets, instead of Authorization" }),
      }),
      headers: z.object({
        upgrade: z.string().optional().openapi({ description: "`websocket` for a WebSocket" }),
        accept: z.string().optional().openapi({ description: "`text/event-stream` for Server-Sent Events" }),
        "last-event-id": z
          .string()
          .optional()
          .openapi({ description: `SSE: resume after this ${options.seq} (wins over since)` }),
      }),
    },
    responses: {
      101: { description: "Switching Protocols: the WebSocket" },
      200: {
        description: "Server-Sent Events",
        headers: replyHeaders("Cache-Control", "X-Accel-Buffering"),
        content: { "text/event-stream": { schema: z.string() } },
      },
      204: { description: "An SSE client resuming a watch that is over: EventSource stops reconnecting" },
      404: problemContent("Nothing to watch there"),
      406: problemContent("Neither Upgrade: websocket nor Accept: text/event-stream"),
      503: problemContent(
        "The deployment is misconfigured, or the object carries its most watchers (with Retry-After)",
        "Retry-After?",
      ),
    },
  } satisfies RouteConfig);
}

/** A path template (`/v1/entities/{type}/{id}/watch`) as a matcher that checks each parameter by its schema. */
export function pathMatcher(route: {
  path: string;
  request?: { params?: unknown };
}): (path: string) => boolean {
  const names: string[] = [];
  const source = route.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const pattern = new RegExp(`^${source}$`);
  const params = route.request?.params as z.ZodType | undefined;
  return (path) => {
    const match = pattern.exec(path);
    if (!match) return false;
    const values = Object.fromEntries(names.map((name, i) => [name, match[i + 1]!]));
    return params ? params.safeParse(values).success : true;
  };
}
