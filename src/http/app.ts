import { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { awsRoutes } from "./aws/endpoint";
import { completeContract } from "./contract/complete";
import { documentRoutes } from "./contract/document";
import { codeOfStatus } from "./error-status";
import { methodNotAllowed } from "./method-not-allowed";
import { auth } from "./middleware/auth";
import { declaredInput } from "./middleware/declared-input";
import { jsonBody } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { securityHeaders } from "./middleware/security-headers";
import { selfCallGuard } from "./middleware/self-call-guard";
import { ProblemError, problem, problemResponse } from "./problem";
import { RouteTable } from "./route-table";
import { adminRoutes } from "./routes/admin";
import { entityRoutes } from "./routes/entities/handlers";
import { watchEntity } from "./routes/entities/routes";
import { entityTypeRoutes } from "./routes/entities/types";
import { healthRoutes } from "./routes/health";
import { indexRoutes } from "./routes/indexes/handlers";
import { queryWatchRoutes, watchQuery } from "./routes/indexes/watch";
import { keyRoutes } from "./routes/keys";
import { machineRoutes } from "./routes/machines";
import { watchExecution } from "./routes/machines/execution-routes";
import { sessionRoutes } from "./routes/sessions/handlers";
import { watchSession } from "./routes/sessions/routes";
import { ticketRoutes } from "./routes/tickets";
import { transactionRoutes } from "./routes/transactions/handlers";
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
  // What each route declares (scope, query, body media types) is read back once all are registered (below).
  const routes = new RouteTable();
  withEveryReply(app, routes);
  healthRoutes(app);
  documentRoutes(app);
  app.use("/v1/*", auth(routes), rateLimit(), declaredInput(routes), jsonBody(routes));

  keyRoutes(app);
  entityTypeRoutes(app);
  entityRoutes(app);
  indexRoutes(app);
  queryWatchRoutes(app);
  machineRoutes(app);
  sessionRoutes(app);
  transactionRoutes(app);
  ticketRoutes(app, [watchEntity, watchSession, watchExecution, watchQuery]);
  adminRoutes(app);
  awsRoutes(app);

  completeContract(app);
  routes.load(app);
  methodNotAllowed(app);
  return app;
}

/** The Worker's fetch: each request goes to the site that claims its path, else to the API. */
export function createWorker(sites: SiteRoutes[] = []) {
  const api = createApp();
  const mounted = sites.map((site) => {
    const app = new Hono<AppEnv>();
    // A site declares no API routes: its log lines name the matched path.
    withEveryReply(app, new RouteTable());
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
function withEveryReply(app: Hono<AppEnv>, routes: RouteTable): void {
  app.use(requestId(), requestLog(routes), securityHeaders(), selfCallGuard());
  app.notFound((c) =>
    problemResponse(c, problem("not_found", `no route for ${c.req.method} ${c.req.path}`).init),
  );
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.init);
    if (err instanceof HTTPException && err.status < 500) {
      const detail = err.status === 400 ? "the request body is not valid JSON" : err.message;
      return problemResponse(c, problem(codeOfStatus(err.status), detail).init);
    }
    // Unexpected: the log gets the cause under the request id (problemResponse), the client none of it.
    const init = problem("internal", "something went wrong; quote the request id when reporting it").init;
    return problemResponse(c, {
      ...init,
      cause: { error: String(err), stack: err instanceof Error ? err.stack : undefined },
    });
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
