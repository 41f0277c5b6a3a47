// A user's Worker: edgestate/client over the EDGESTATE service binding (no URL, no public route).
// POST /tour runs a small application against it with the API key the request carries and
// answers what it saw; GET /raw/* forwards a bare request (no key) to show it is refused.
import { createClient, EdgestateError } from "../../../src/client/index.ts";

interface CallerEnv {
  EDGESTATE: Fetcher;
}

interface TourRequest {
  key: string;
  id: string;
}

async function tour(env: CallerEnv, { key, id }: TourRequest) {
  const es = createClient({ fetcher: env.EDGESTATE, key });
  const session = await es.sessions.create({ subject: `user-${id}`, data: { name: "Ada" } });
  const created = await es.entities.put("cart", id, { items: [] as string[] }, { ifNoneMatch: "*" });
  const updated = await Promise.all(
    ["apple", "pear", "plum"].map((item) =>
      es.entities.update<{ items: string[] }>("cart", id, (cart) => ({
        items: [...(cart?.items ?? []), item],
      })),
    ),
  );
  await es.machines.put("checkout", {
    StartAt: "Total",
    States: { Total: { Type: "Pass", Parameters: { "count.$": "States.ArrayLength($.items)" }, End: true } },
  });
  const cart = await es.entities.get<{ items: string[] }>("cart", id);
  const started = await es.executions.start("checkout", { input: cart.body, name: `order-${id}` });
  const ended = await es.executions.wait("checkout", started.name, { timeoutMs: 20_000 });
  let missing: string | null = null;
  try {
    await es.entities.get("cart", `${id}-missing`);
  } catch (e) {
    if (e instanceof EdgestateError) missing = e.code;
  }
  await es.sessions.revoke(session.id);
  return {
    sessionSubject: session.subject,
    createdVersion: created.version,
    versions: updated.map((u) => u.version).sort(),
    items: [...cart.body.items].sort(),
    status: ended.status,
    output: ended.output,
    missing,
  };
}

export default {
  async fetch(request: Request, env: CallerEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return new Response("ok");
    if (url.pathname === "/tour" && request.method === "POST") {
      try {
        return Response.json(await tour(env, await request.json<TourRequest>()));
      } catch (e) {
        const error =
          e instanceof EdgestateError ? { code: e.code, status: e.status, detail: e.detail } : String(e);
        return Response.json({ error }, { status: 500 });
      }
    }
    if (url.pathname.startsWith("/raw/")) {
      return env.EDGESTATE.fetch(`https://edgestate.internal/${url.pathname.slice("/raw/".length)}`);
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<CallerEnv>;
