// A watcher through the real Worker, inside workerd: the upgrade goes through every middleware and
// the route to the watched object, and the test holds the client end of the object's WebSocket.
import { exports } from "cloudflare:workers";
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

export async function watchResponse(path: string, call: WatchCall = {}): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", ...call.headers };
  const key = call.key === undefined ? TEST_ADMIN_KEY : call.key;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (call.tenant) headers["Edgestate-Tenant"] = call.tenant;
  return exports.default.fetch(`https://edgestate.test${path}`, { headers });
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
