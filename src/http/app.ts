import { OpenAPIHono } from "@hono/zod-openapi";
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

/** Routes served beside the API (the console), mounted before /v1's middleware by the entry point. */
export type SiteRoutes = (app: OpenAPIHono<AppEnv>) => void;

export function createApp(site: SiteRoutes[] = []) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  // What each route declares (scope, query, body media types) is read back once all are registered (below).
  const routes = new RouteTable();

  app.use(requestId(), requestLog(routes), securityHeaders(), selfCallGuard());
  healthRoutes(app);
  documentRoutes(app);
  for (const mount of site) mount(app);
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
  return app;
}
