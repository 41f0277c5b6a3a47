// Real clients of the watch API against `wrangler dev`: Node 24's global WebSocket, an SSE reader
// over fetch (a real HTTP stream), and the WHATWG EventSource (node --experimental-eventsource,
// set in vitest.browser.config.ts), which cannot send headers and so takes a ticket.
import { inject } from "vitest";

export const base = () => inject("baseUrl");
export const wsBase = () => base().replace(/^http/, "ws");

export interface Received {
  messages: Record<string, unknown>[];
  /** Resolves once `predicate` holds for what was received. */
  until(predicate: (messages: Record<string, unknown>[]) => boolean): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

function collector() {
  const messages: Record<string, unknown>[] = [];
  const waiting: { test: (m: Record<string, unknown>[]) => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiting])
      if (w.test(messages)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
  };
  return {
    messages,
    push(text: string) {
      messages.push(JSON.parse(text) as Record<string, unknown>);
      check();
    },
    until: (test: (m: Record<string, unknown>[]) => boolean) =>
      new Promise<void>((resolve) => {
        waiting.push({ test, resolve });
        check();
      }),
  };
}

/** A WebSocket watcher: with a bearer key in the headers (Node's client can), or a ticket in the URL. */
export function openWebSocket(path: string, key?: string): Promise<Received> {
  const ws = new WebSocket(
    `${wsBase()}${path}`,
    key ? ({ headers: { Authorization: `Bearer ${key}` } } as unknown as string[]) : undefined,
  );
  const got = collector();
  ws.addEventListener("message", (e) => got.push(String(e.data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve({ ...got, closed, close: () => ws.close(1000) }));
    ws.addEventListener("error", () => reject(new Error(`WebSocket ${path} failed to open`)));
  });
}

/** Server-Sent Events read from a fetch body; `lastEventId` as an EventSource sends it when it reconnects. */
export async function openSse(
  path: string,
  key: string,
  lastEventId?: string,
): Promise<Received & { lastId(): string | undefined }> {
  const controller = new AbortController();
  const res = await fetch(`${base()}${path}`, {
    headers: {
      Accept: "text/event-stream",
      Authorization: `Bearer ${key}`,
      ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}),
    },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`SSE ${path}: ${res.status} ${await res.text()}`);
  const got = collector();
  let last: string | undefined;
  let resolveClosed!: (end: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => {
    resolveClosed = r;
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = Object.fromEntries(
            block
              .split("\n")
              .filter((l) => !l.startsWith(":"))
              .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
          ) as Record<string, string>;
          if (fields.data === undefined) continue;
          if (fields.event === "close") resolveClosed(JSON.parse(fields.data));
          else {
            if (fields.id !== undefined) last = fields.id;
            got.push(fields.data);
          }
        }
      }
      resolveClosed({ code: 1006, reason: "the stream ended" });
    } catch {
      resolveClosed({ code: 1006, reason: "aborted" });
    }
  })();
  return { ...got, closed, close: () => controller.abort(), lastId: () => last };
}

/** The browser's way: an EventSource, which cannot send headers, opened with a ticket. */
export function openEventSource(url: string): Promise<Received> {
  const source = new EventSource(url);
  const got = collector();
  source.addEventListener("message", (e) => got.push(String((e as MessageEvent).data)));
  let resolveClosed!: (end: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => {
    resolveClosed = r;
  });
  source.addEventListener("close", (e) => {
    resolveClosed(JSON.parse(String((e as MessageEvent).data)));
    source.close();
  });
  return new Promise((resolve, reject) => {
    source.addEventListener("open", () => resolve({ ...got, closed, close: () => source.close() }));
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) reject(new Error("EventSource failed"));
    });
  });
}

export async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

/** A fresh key of a fresh tenant: each has its own rate-limit counter on the dev server. */
export async function tenantKey(tenant: string, scopes = ["read", "write"]): Promise<string> {
  const issued = await call("POST", "/v1/keys", inject("adminKey"), { tenant, scopes, name: "live" });
  if (issued.status !== 201) throw new Error(`key: ${issued.status} ${JSON.stringify(issued.body)}`);
  return String(issued.body!.key);
}

export async function ticket(key: string, watch: string): Promise<string> {
  const issued = await call("POST", "/v1/tickets", key, { watch });
  if (issued.status !== 201) throw new Error(`ticket: ${issued.status} ${JSON.stringify(issued.body)}`);
  return String(issued.body!.ticket);
}

/** Runs `task(i)` for i in [0, n) with at most `width` at once. */
export async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}
