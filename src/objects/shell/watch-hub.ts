// The watchers of one object: every watch (WebSocket, or SSE that the Worker turns it into) is a
// WebSocket this object holds with the hibernation API, so an idle watcher keeps no isolate alive.
// The object admits a watcher inside its write queue (no commit can fall between its first
// messages and its first live one) and announces each commit right after its transaction, in the
// same synchronous turn; so every watcher gets every message once, in order.
//
// What a watcher has been sent is in its attachment (`seq`, which survives hibernation): a message
// that does not follow it means a fan-out was lost (the isolate died between a commit and its
// announcement), and the connection is closed with CLOSE.outOfSync for the client to resume,
// never left with a hole. A connection whose queue passes `bufferBytes` is closed as a slow
// consumer: sending never waits, so no watcher slows a write or another watcher.
import { getConfig } from "../../config";
import { type Failure, fail, type Result } from "../../core/result";
import {
  type Announcement,
  CLOSE,
  PING,
  PONG,
  WATCH_LIMITS,
  type WatchEnd,
  type WatchMessage,
  type WatchRequest,
  type WatchStart,
} from "../../core/watch/contract";

/** Which objects hold a key's watchers is kept by the key's own record (api-key-object.ts). */
export interface KeyWatchers {
  /** Before the first watcher of `keyId` here. */
  watch(keyId: string): Promise<"admitted" | "revoked" | "full">;
  /** After the last one closed. */
  unwatch(keyId: string): Promise<void>;
}

interface Attachment {
  /** The last seq this connection was sent. */
  seq: number;
  /** The API key it was admitted with. */
  key: string | null;
  /** The Worker turns this connection into Server-Sent Events: messages go framed as SSE. */
  sse: boolean;
}

const ALL = "watch";
const keyTag = (keyId: string) => `key:${keyId}`;
const OPEN = 1;

/** A refusal crosses back to the Worker as the Failure itself; the Worker maps it to a problem. */
const refusal = (failure: Failure) => Response.json(failure, { status: 400 });

export class WatchHub {
  /** Attachments read or written since this instance woke; the stored copy is the truth. */
  private readonly known = new WeakMap<WebSocket, Attachment>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly keys: KeyWatchers,
    private readonly env: Env,
  ) {
    // Heartbeats from clients are answered by the runtime: a hibernating object is not woken.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  count(): number {
    return this.ctx.getWebSockets(ALL).length;
  }

  /** Inside the object's write queue: admits a watcher with what `start` says it gets first. */
  async admit(request: WatchRequest, start: () => Promise<Result<WatchStart>>): Promise<Response> {
    // One more is refused rather than slowing every write's fan-out (MAX_WATCHERS_PER_OBJECT).
    const most = getConfig(this.env).maxWatchersPerObject;
    if (this.count() >= most)
      return refusal(fail("unavailable", `this object already carries ${most} watchers`));
    const started = await start();
    if (!started.ok) return refusal(started);
    // Only a watch that will be admitted is registered: a refused one leaves no row in the key's record.
    if (request.keyId !== null && !this.holds(request.keyId)) {
      const admitted = await this.keys.watch(request.keyId);
      if (admitted === "revoked") return refusal(fail("unauthorized", "the API key is unknown or revoked"));
      if (admitted === "full")
        return refusal(fail("unavailable", "this API key already watches as many objects as it may"));
    }
    const { messages, seq, end } = started.value;
    // An EventSource reconnects by itself whenever a stream ends; 204 is what makes it stop.
    const overAlready = end && !messages.some((m) => m.seq !== undefined);
    if (overAlready && request.transport === "sse" && request.resumed)
      return new Response(null, { status: 204 });

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, request.keyId === null ? [ALL] : [ALL, keyTag(request.keyId)]);
    const sse = request.transport === "sse";
    this.remember(server, { seq, key: request.keyId, sse });
    for (const message of messages) server.send(frame(message, sse));
    if (end) server.close(end.code, end.reason);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Right after a commit's transaction, in the same turn. */
  publish(announcement: Announcement): void {
    const { messages } = announcement;
    // Framed once per transport, not once per watcher.
    const texts = messages.map((m) => m.text);
    let sseFrames: string[] | undefined;
    const framesFor = (sse: boolean) => {
      if (!sse) return texts;
      sseFrames ??= messages.map((m) => frame(m, true));
      return sseFrames;
    };
    for (const ws of this.ctx.getWebSockets(ALL)) {
      if (ws.readyState !== OPEN) continue;
      const attachment = this.attachment(ws);
      if ((ws.bufferedAmount ?? 0) > WATCH_LIMITS.bufferBytes) {
        this.end(ws, {
          code: CLOSE.slowConsumer,
          reason: `slow consumer: resume with since=${attachment.seq}`,
        });
        continue;
      }
      const framed = framesFor(attachment.sse);
      let seq = attachment.seq;
      let broken = false;
      for (const [i, message] of messages.entries()) {
        if (message.seq !== undefined) {
          if (message.seq <= seq) continue;
          if (message.seq !== seq + 1) {
            broken = true;
            break;
          }
          seq = message.seq;
        }
        ws.send(framed[i]!);
      }
      if (seq !== attachment.seq) this.remember(ws, { ...attachment, seq });
      if (broken)
        this.end(ws, { code: CLOSE.outOfSync, reason: `messages were lost: resume with since=${seq}` });
      else if (announcement.end) this.end(ws, announcement.end);
    }
  }

  /** The key was revoked: its watchers here are disconnected. */
  dropKey(keyId: string): number {
    const sockets = this.ctx.getWebSockets(keyTag(keyId));
    for (const ws of sockets) this.end(ws, { code: CLOSE.keyRevoked, reason: "the API key was revoked" });
    return sockets.length;
  }

  /** A message from a watcher: only heartbeats are expected (PING itself never reaches here). */
  message(ws: WebSocket, message: string | ArrayBuffer): void {
    if (typeof message === "string" && isPing(message)) ws.send(PONG);
    else this.end(ws, { code: 1003, reason: `a watcher only sends ${PING}` });
  }

  /** The connection closed (or failed): the key's record forgets this object once no watcher of it is left. */
  async closed(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005 (no code) and 1006 (dropped) are not codes a close frame may carry.
    const echoed = code === 1005 || code === 1006 ? 1000 : code;
    try {
      ws.close(echoed, reason);
    } catch {
      // Already closed: the runtime completed the handshake (web_socket_auto_reply_to_close).
    }
    const key = this.attachment(ws).key;
    if (key === null || this.holds(key, ws)) return;
    try {
      await this.keys.unwatch(key);
    } catch (e) {
      // A record that still lists this object only costs one needless notice at revocation.
      console.error(JSON.stringify({ event: "unwatch_failed", cause: String(e) }));
    }
  }

  private holds(keyId: string, except?: WebSocket): boolean {
    return this.ctx.getWebSockets(keyTag(keyId)).some((ws) => ws !== except && ws.readyState <= OPEN);
  }

  private end(ws: WebSocket, end: WatchEnd): void {
    try {
      ws.close(end.code, end.reason);
    } catch {
      // The client closed first.
    }
  }

  private attachment(ws: WebSocket): Attachment {
    let attachment = this.known.get(ws);
    if (!attachment) {
      attachment = (ws.deserializeAttachment() as Attachment | null) ?? { seq: 0, key: null, sse: false };
      this.known.set(ws, attachment);
    }
    return attachment;
  }

  private remember(ws: WebSocket, attachment: Attachment): void {
    ws.serializeAttachment(attachment);
    this.known.set(ws, attachment);
  }
}

/**
 * A message as its connection carries it. For SSE it is framed here, where the seq is known, so
 * the Worker passes frames through without parsing a document; message JSON never holds a newline.
 */
function frame(message: WatchMessage, sse: boolean): string {
  if (!sse) return message.text;
  return `${message.seq === undefined ? "" : `id: ${message.seq}\n`}data: ${message.text}\n\n`;
}

function isPing(text: string): boolean {
  try {
    return (JSON.parse(text) as { type?: unknown })?.type === "ping";
  } catch {
    return false;
  }
}
