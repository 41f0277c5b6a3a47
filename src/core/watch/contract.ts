// Watching an object as it changes: what the Worker tells the watched object when it forwards a
// watch, what the object answers a new watcher with, and what a commit announces to every watcher.
// The transport (a hibernatable WebSocket held by the object, which the Worker passes through or
// turns into Server-Sent Events) is the shell's business (src/objects/shell/watch-hub.ts).

/** One message to watchers: JSON text, and its place in the object's sequence when it has one. */
export interface WatchMessage {
  /**
   * Entity version, session version or history event id: consecutive, so a watcher that resumes
   * with `since=<seq>` misses nothing and a gap is never passed over silently.
   */
  seq?: number;
  text: string;
}

export type WatchTransport = "websocket" | "sse";

/** Carried from the Worker to the object in the WATCH_HEADER of the forwarded upgrade. */
export interface WatchRequest<A = unknown> {
  address: A;
  /** The last seq the watcher has; null: it has nothing (it gets the current state first). */
  since: number | null;
  /** The API key the watch was admitted with (directly or through a ticket); null for the root key. */
  keyId: string | null;
  transport: WatchTransport;
  /** SSE's Last-Event-ID: the client is an EventSource reconnecting by itself. */
  resumed: boolean;
}

/** How the server ends a watch: a WebSocket close code and reason (an SSE `close` event carries both). */
export interface WatchEnd {
  code: number;
  reason: string;
}

/** What a new watcher gets before any live message, read inside the object's write queue. */
export interface WatchStart {
  messages: WatchMessage[];
  /** The seq the watcher stands at once it has these messages (0: nothing yet). */
  seq: number;
  /** The watch is over once these messages are sent (an execution that has ended). */
  end?: WatchEnd;
}

/** What one commit tells every watcher, right after its storage transaction. */
export interface Announcement {
  messages: WatchMessage[];
  /** The object's watch ends with this commit (a session revoked, an execution ended). */
  end?: WatchEnd;
}

export const WATCH_HEADER = "Edgestate-Watch";

/**
 * Close codes. 1000 and 1001 are RFC 6455's; the 44xx codes borrow the HTTP status they resemble
 * (as graphql-ws and AppSync do), so a client can tell "resume" from "stop" by the code alone.
 */
export const CLOSE = {
  /** The watch is over: the execution ended, the session was revoked or expired. Do not resume. */
  done: 1000,
  /** The key the watch was admitted with was revoked. Do not resume with it. */
  keyRevoked: 4401,
  /** A gap was detected in what this connection was sent: resume with `since`. */
  outOfSync: 4409,
  /** The client read too slowly and its buffer filled: resume with `since`. */
  slowConsumer: 4429,
} as const;

/** Clients send this at least every HEARTBEAT_MS; the runtime answers PONG without waking the object. */
export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';

/** Watchers one object carries is a setting (MAX_WATCHERS_PER_OBJECT); these are not. */
export const WATCH_LIMITS = {
  /** Bytes queued for one connection before it is closed as a slow consumer. */
  bufferBytes: 1 << 20,
  /** SSE comment lines (server side) and WebSocket pings (client side), so proxies keep idle streams. */
  heartbeatMs: 30_000,
} as const;
