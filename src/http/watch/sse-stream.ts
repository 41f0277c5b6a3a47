// Server-Sent Events over a watch the object holds as a hibernatable WebSocket: the Worker is that
// socket's client and turns what arrives (already framed as SSE by the object) into the response
// stream. The object may hibernate while the stream stays open; heartbeats come from here, so no
// object is woken to keep a proxy from cutting an idle stream.
//
// Bounded buffering: the stream's queue holds at most `bufferBytes` that the client has not read;
// past it the client is a slow consumer, gets a `close` event after what it has not read yet, and
// its watch at the object ends (the object never waits for it).
import { CLOSE, WATCH_LIMITS, type WatchEnd } from "../../core/watch/contract";

export interface SseLimits {
  heartbeatMs: number;
  bufferBytes: number;
}

const encoder = new TextEncoder();

/** The closing event: the code and reason a WebSocket watcher would get in its close frame. */
const closeEvent = (end: WatchEnd) => `event: close\ndata: ${JSON.stringify(end)}\n\n`;

export function sseStream(ws: WebSocket, limits: SseLimits = WATCH_LIMITS): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setInterval> | undefined;
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const finish = (end: WatchEnd) => {
          if (!open) return;
          open = false;
          clearInterval(timer);
          controller.enqueue(encoder.encode(closeEvent(end)));
          controller.close();
        };
        const push = (text: string) => {
          if (!open) return;
          controller.enqueue(encoder.encode(text));
          if ((controller.desiredSize ?? 0) < 0) {
            const end = { code: CLOSE.slowConsumer, reason: "slow consumer: reconnect with Last-Event-ID" };
            finish(end);
            closeQuietly(ws, end);
          }
        };
        ws.addEventListener("message", (event) => push(String(event.data)));
        ws.addEventListener("close", (event) =>
          finish({
            code: event.code === 1005 || event.code === 1006 ? 1000 : event.code,
            reason: event.reason,
          }),
        );
        ws.addEventListener("error", () => finish({ code: 1011, reason: "the watch failed" }));
        // A comment line: EventSource ignores it, and a write is also how a client that has gone
        // away is noticed (the stream is cancelled on the next write).
        timer = setInterval(() => push(": ping\n\n"), limits.heartbeatMs);
        ws.accept();
      },
      cancel() {
        open = false;
        clearInterval(timer);
        closeQuietly(ws, { code: 1000, reason: "the client went away" });
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: limits.bufferBytes }),
  );
}

function closeQuietly(ws: WebSocket, end: WatchEnd): void {
  try {
    ws.close(end.code, end.reason);
  } catch {
    // The object closed it first.
  }
}
