// A watcher through the real Worker, inside workerd: the upgrade goes through every middleware and
// the route to the watched object, and the test holds the client end of the object's WebSocket.
// Every reply (a 101, an event stream, a refusal) is held against /openapi.json, as api()'s are.
import { fetchChecked } from "../support/api";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

export interface Watcher {
  ws: WebSocket;
  /** Every message so far, parsed. */
  messages: Record<string, unknown>[];
  /** Resolves with the next message not yet taken by `next`. */
  next(): Promise<Record<string, unknown>>;
  /** Resolves once `n` messages have arrived in all. */
  count(n: number): Promise<Record<string, unknown>[]>;
  closed: Promise<{ code: number; reason: string }>;
}

export interface WatchCall {
  key?: string | null;
  tenant?: string;
  headers?: Record<string, string>;
}

/** A watch asked for as a WebSocket (`Upgrade: websocket`). */
export const watchResponse = (path: string, call: WatchCall = {}) =>
  watchRequest(path, { Upgrade: "websocket", ...call.headers }, call);

/** A watch asked for as Server-Sent Events (`Accept: text/event-stream`). */
export const sseResponse = (path: string, call: WatchCall = {}) =>
  watchRequest(path, { Accept: "text/event-stream", ...call.headers }, call);

function watchRequest(path: string, headers: Record<string, string>, call: WatchCall): Promise<Response> {
  const key = call.key === undefined ? TEST_ADMIN_KEY : call.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (call.tenant) headers["Edgestate-Tenant"] = call.tenant;
  return fetchChecked(path, { headers });
}

export async function watch(path: string, call: WatchCall = {}): Promise<Watcher> {
  const res = await watchResponse(path, call);
  if (res.status !== 101 || !res.webSocket)
    throw new Error(`watch refused: ${res.status} ${await res.text()}`);
  return accepted(res.webSocket);
}

export function accepted(ws: WebSocket): Watcher {
  const messages: Record<string, unknown>[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  let taken = 0;
  const settle = () => {
    for (const w of [...waiting]) {
      if (messages.length >= w.n) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const until = (n: number) =>
    new Promise<void>((resolve) => {
      waiting.push({ n, resolve });
      settle();
    });
  ws.addEventListener("message", (event) => {
    messages.push(JSON.parse(String(event.data)) as Record<string, unknown>);
    settle();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })),
  );
  ws.accept();
  return {
    ws,
    messages,
    closed,
    async next() {
      const index = taken++;
      await until(index + 1);
      return messages[index]!;
    },
    async count(n) {
      await until(n);
      return messages.slice(0, n);
    },
  };
}
