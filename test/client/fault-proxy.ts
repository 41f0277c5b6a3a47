// A proxy between the client and `wrangler dev` that breaks replies on purpose. Each request is
// forwarded and its whole reply read (so the server has committed whatever it does) before the
// plan for that request decides what the client gets: the reply, nothing (the connection is
// destroyed: a reply lost after the commit), or a status of the proxy's own (503, 429).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export type Fault =
  | { kind: "drop" }
  /** A stream passed through as it comes, then the connection destroyed after `events` events. */
  | { kind: "cut"; events: number }
  | { kind: "status"; status: number; retryAfter?: string; forward?: boolean };

export interface Seen {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** What the client got: the upstream status, "dropped", or the proxy's own status. */
  outcome: number | "dropped";
  lastEventId: string | null;
  at: number;
}

export class FaultProxy {
  readonly seen: Seen[] = [];
  plan: Fault[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstream: string, port: number): Promise<FaultProxy> {
    let proxy: FaultProxy | undefined;
    const server = createServer((req, res) => {
      // A stream (a watch) is passed through as it comes, never read whole.
      if (String(req.headers.accept).includes("text/event-stream")) {
        void proxy!.stream(upstream, req, res).catch(() => req.socket.destroy());
        return;
      }
      void proxy!.handle(upstream, req).then(
        (reply) => {
          if (reply === "dropped") {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status, reply.headers);
          res.end(Buffer.from(reply.body));
        },
        () => req.socket.destroy(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    proxy = new FaultProxy(server, `http://127.0.0.1:${actual}`);
    return proxy;
  }

  /** The next requests meet these faults, one each, in order; after them requests pass. */
  next(...faults: Fault[]): void {
    this.plan.push(...faults);
  }

  reset(): void {
    this.plan = [];
    this.seen.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Passes a streamed reply through as it comes; a `cut` fault ends the connection after some events. */
  private async stream(upstream: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fault =
      this.plan[0]?.kind === "cut" ? (this.plan.shift() as Extract<Fault, { kind: "cut" }>) : null;
    const up = await fetch(`${upstream}${req.url}`, { headers: forwardedHeaders(req) });
    this.seen.push({
      method: req.method ?? "",
      path: req.url ?? "",
      idempotencyKey: null,
      outcome: up.status,
      lastEventId: (req.headers["last-event-id"] as string | undefined) ?? null,
      at: Date.now(),
    });
    res.writeHead(up.status, { "content-type": up.headers.get("content-type") ?? "text/plain" });
    req.socket.once("close", () => void up.body?.cancel().catch(() => {}));
    const reader = up.body!.getReader();
    const decoder = new TextDecoder();
    let events = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
      events += decoder.decode(value).split("\n\n").length - 1;
      if (fault && events >= fault.events) break;
    }
    if (!fault) {
      res.end();
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
    await reader.cancel();
    req.socket.destroy();
  }

  private async handle(
    upstream: string,
    req: IncomingMessage,
  ): Promise<"dropped" | { status: number; headers: Record<string, string>; body: ArrayBuffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const fault = this.plan.shift();
    const record = (outcome: Seen["outcome"]) =>
      this.seen.push({
        method: req.method ?? "",
        path: req.url ?? "",
        idempotencyKey: (req.headers["idempotency-key"] as string | undefined) ?? null,
        outcome,
        lastEventId: null,
        at: Date.now(),
      });
    if (fault?.kind === "status" && !fault.forward) {
      record(fault.status);
      return ownReply(fault);
    }
    const res = await fetch(`${upstream}${req.url}`, {
      method: req.method ?? "GET",
      headers: forwardedHeaders(req),
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = await res.arrayBuffer();
    if (fault?.kind === "drop") {
      record("dropped");
      return "dropped";
    }
    if (fault?.kind === "status") {
      record(fault.status);
      return ownReply(fault);
    }
    record(res.status);
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name !== "content-encoding" && name !== "content-length" && name !== "transfer-encoding")
        out[name] = value;
    });
    return { status: res.status, headers: out, body };
  }
}

function forwardedHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string" && name !== "host" && name !== "connection") headers.set(name, value);
  }
  return headers;
}

function ownReply(fault: Extract<Fault, { kind: "status" }>) {
  const problem = JSON.stringify({
    type: `urn:edgestate:problem:${fault.status === 429 ? "too-many-requests" : "service-unavailable"}`,
    title: fault.status === 429 ? "Too Many Requests" : "Service Unavailable",
    status: fault.status,
    detail: "injected by the test's proxy",
    instance: "proxy",
  });
  return {
    status: fault.status,
    headers: {
      "content-type": "application/problem+json",
      ...(fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {}),
    },
    body: new TextEncoder().encode(problem).buffer as ArrayBuffer,
  };
}
