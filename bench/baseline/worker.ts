// The bare-platform baseline for `npm run bench`: the least a Worker can do to serve each
// edgestate operation. One Durable Object per key holding one row, one KV read, a no-op, a
// Workflow of 100 `step.do` steps for the state-machine comparison, and a write told to every
// hibernated WebSocket of the object for the fan-out comparison; any of them with `&limited` also
// calls the rate-limiting binding first, as edgestate does.
import { DurableObject, WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

interface BaselineEnv {
  ROWS: DurableObjectNamespace<RowObject>;
  KV: KVNamespace;
  STEPS: Workflow<{ steps: number }>;
  LIMITER: RateLimit;
}

export class RowObject extends DurableObject<BaselineEnv> {
  constructor(ctx: DurableObjectState, env: BaselineEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS doc (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }

  async read(): Promise<string | null> {
    return (
      this.ctx.storage.sql.exec<{ body: string }>("SELECT body FROM doc WHERE id = 1").toArray()[0]?.body ??
      null
    );
  }

  async write(body: string): Promise<void> {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO doc (id, body) VALUES (1, ?)", body);
  }

  /** A watcher: a hibernatable WebSocket, as edgestate's objects hold them. */
  override async fetch(): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The write, then the same message to every watcher, stamped with its version and time. */
  async writeAndTell(body: string): Promise<number> {
    const version = (this.ctx.storage.kv.get<number>("version") ?? 0) + 1;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO doc (id, body) VALUES (1, ?)", body);
    this.ctx.storage.kv.put("version", version);
    const message = `{"version":${version},"at":${Date.now()},"body":${body}}`;
    for (const ws of this.ctx.getWebSockets()) ws.send(message);
    return version;
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
  }
}

export class Steps100 extends WorkflowEntrypoint<BaselineEnv, { steps: number }> {
  override async run(event: Readonly<WorkflowEvent<{ steps: number }>>, step: WorkflowStep): Promise<number> {
    let n = 0;
    for (let i = 0; i < event.payload.steps; i++) n = await step.do(`step-${i}`, async () => n + 1);
    return n;
  }
}

/** Starts a workflow and answers when it is done, like `POST …/executions?wait=60`. */
async function runWorkflow(env: BaselineEnv, steps: number): Promise<Response> {
  const started = Date.now();
  const instance = await env.STEPS.create({ params: { steps } });
  while (Date.now() - started < 60_000) {
    const { status, output } = await instance.status();
    if (status === "complete") return Response.json({ output, ms: Date.now() - started });
    if (status === "errored" || status === "terminated") return new Response(status, { status: 500 });
    await scheduler.wait(5);
  }
  return new Response("timed out", { status: 504 });
}

/**
 * A transaction's bare cost: `n` objects written at once (`prefix`, `from`, wrapping at `of`), with
 * no atomicity between them — what a client writing each entity in turn would pay.
 */
async function writeMany(env: BaselineEnv, params: URLSearchParams, body: string): Promise<void> {
  const prefix = params.get("prefix") ?? "w-";
  const from = Number(params.get("from") ?? 0);
  const of = Number(params.get("of") ?? 256);
  const n = Math.min(Number(params.get("n") ?? 1), 100);
  await Promise.all(
    Array.from({ length: n }, (_, j) => env.ROWS.getByName(`${prefix}${(from + j) % of}`).write(body)),
  );
}

/** Bulk seeding (`prefix`, `from`, `n`): many objects per request, 50 at a time, so setup stays short. */
async function seed(env: BaselineEnv, params: URLSearchParams, body: string): Promise<Response> {
  const prefix = params.get("prefix") ?? "s-";
  const from = Number(params.get("from") ?? 0);
  const n = Math.min(Number(params.get("n") ?? 0), 1_000);
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) =>
      env.ROWS.getByName(`${prefix}${from + i + j}`).write(body),
    );
    await Promise.all(batch);
  }
  return new Response(null, { status: 204 });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get("k") ?? "k";
    // `&limited`: the same rate-limiter call edgestate makes on every /v1 request, one counter per
    // caller, so a cell can also be read against the platform with its limiter (bench/lib/scenarios.mjs).
    if (url.searchParams.has("limited") && !(await env.LIMITER.limit({ key: "bench" })).success) {
      return new Response(null, { status: 429 });
    }
    switch (`${request.method} ${url.pathname}`) {
      case "GET /noop":
      case "GET /healthz":
        return new Response("ok");
      case "GET /do": {
        const body = await env.ROWS.getByName(key).read();
        return body === null ? new Response(null, { status: 404 }) : new Response(body);
      }
      case "PUT /do":
        await env.ROWS.getByName(key).write(await request.text());
        return new Response(null, { status: 204 });
      case "PUT /do-many":
        await writeMany(env, url.searchParams, await request.text());
        return new Response(null, { status: 204 });
      case "GET /ws":
        return env.ROWS.getByName(key).fetch(request);
      case "PUT /fan":
        return new Response(String(await env.ROWS.getByName(key).writeAndTell(await request.text())));
      case "GET /kv": {
        const body = await env.KV.get(key);
        return body === null ? new Response(null, { status: 404 }) : new Response(body);
      }
      case "PUT /kv":
        await env.KV.put(key, await request.text());
        return new Response(null, { status: 204 });
      case "POST /seed":
        return seed(env, url.searchParams, await request.text());
      case "POST /workflow":
        return runWorkflow(env, Number(url.searchParams.get("steps") ?? 100));
      default:
        return new Response(null, { status: 404 });
    }
  },
} satisfies ExportedHandler<BaselineEnv>;
