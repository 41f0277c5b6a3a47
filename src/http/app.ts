import { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { awsRoutes } from "./aws/endpoint";
import { codeOfStatus } from "./error-status";
import { methodNotAllowed } from "./method-not-allowed";
import { auth } from "./middleware/auth";
import { jsonBody } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { securityHeaders } from "./middleware/security-headers";
import { selfCallGuard } from "./middleware/self-call-guard";
import { ProblemError, problem, problemResponse } from "./problem";
import { adminRoutes } from "./routes/admin";
import { entityRoutes } from "./routes/entities/handlers";
import { watchEntity } from "./routes/entities/routes";
import { entityTypeRoutes } from "./routes/entities/types";
import { healthRoutes } from "./routes/health";
import { keyRoutes } from "./routes/keys";
import { machineRoutes } from "./routes/machines";
import { watchExecution } from "./routes/machines/execution-routes";
import { sessionRoutes } from "./routes/sessions/handlers";
import { watchSession } from "./routes/sessions/routes";
import { ticketRoutes } from "./routes/tickets";
import { ScopeTable } from "./scopes";
import { validationHook } from "./validation";

/**
 * Pages served beside the API (the console): mounted on an app of their own, which answers the
 * paths `claims` accepts, with the API's in-process fetch to call /v1 through.
 */
export interface SiteRoutes {
  claims(path: string): boolean;
  mount(site: Hono<AppEnv>, api: OpenAPIHono<AppEnv>): void;
}

/**
 * The API: /healthz, /openapi.json and /v1. It is its own app, apart from the console's pages,
 * so that its router can be Hono's RegExpRouter (one precompiled expression per method), which
 * the console's paths rule out; every request pays for routing.
 */
export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  withEveryReply(app);
  healthRoutes(app);
  // Every route declares its scope; the table is filled once all of them are registered (below).
  const scopes = new ScopeTable();
  app.use("/v1/*", auth(scopes), rateLimit(), jsonBody());

  keyRoutes(app);
  entityTypeRoutes(app);
  entityRoutes(app);
  machineRoutes(app);
  sessionRoutes(app);
  ticketRoutes(app, [watchEntity, watchSession, watchExecution]);
  adminRoutes(app);
  awsRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerComponent("securitySchemes", "ticket", {
    type: "apiKey",
    in: "query",
    name: "ticket",
    description: "A single-use watch ticket from POST /v1/tickets (watch routes only)",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "edgestate",
      version: "0.1.0",
      description: "State for serverless applications, served from the edge.",
    },
  });
  scopes.load(app);
  methodNotAllowed(app);
  return app;
}

/** The Worker's fetch: each request goes to the site that claims its path, else to the API. */
export function createWorker(sites: SiteRoutes[] = []) {
  const api = createApp();
  const mounted = sites.map((site) => {
    const app = new Hono<AppEnv>();
    withEveryReply(app);
    site.mount(app, api);
    return { claims: site.claims, app };
  });
  return {
    api,
    fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
      const path = pathOf(request.url);
      const site = mounted.find((s) => s.claims(path));
      return (site?.app ?? api).fetch(request, env, ctx);
    },
  };
}

/** What every reply of every app gets: a request id, the log line, security headers, errors as problems. */
function withEveryReply(app: Hono<AppEnv>): void {
  app.use(requestId(), requestLog(), securityHeaders(), selfCallGuard());
  app.notFound((c) =>
    problemResponse(c, problem("not_found", `no route for ${c.req.method} ${c.req.path}`).init),
  );
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.init);
    if (err instanceof HTTPException && err.status < 500) {
      const detail = err.status === 400 ? "the request body is not valid JSON" : err.message;
      return problemResponse(c, problem(codeOfStatus(err.status), detail).init);
    }
    // Unexpected: log the cause with the request id, show the client nothing of it.
    console.error(
      JSON.stringify({
        requestId: c.get("requestId"),
        event: "unhandled_error",
        error: String(err),
        stack: err instanceof Error ? err.stack : undefined,
      }),
    );
    return problemResponse(
      c,
      problem("internal", "something went wrong; quote the request id when reporting it").init,
    );
  });
}

/** The path of a request URL (`https://host/path?query`), without parsing all of it. */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const stop = end < 0 ? (hash < 0 ? url.length : hash) : hash < 0 ? end : Math.min(end, hash);
  return url.slice(start, stop);
}
