import { OpenAPIHono } from "@hono/zod-openapi";
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
import { transactionRoutes } from "./routes/transactions/handlers";
import { ScopeTable } from "./scopes";
import { validationHook } from "./validation";

/** Routes served beside the API (the console), mounted before /v1's middleware by the entry point. */
export type SiteRoutes = (app: OpenAPIHono<AppEnv>) => void;

export function createApp(site: SiteRoutes[] = []) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(requestId(), requestLog(), securityHeaders(), selfCallGuard());
  healthRoutes(app);
  for (const mount of site) mount(app);
  // Every route declares its scope; the table is filled once all of them are registered (below).
  const scopes = new ScopeTable();
  app.use("/v1/*", auth(scopes), rateLimit(), jsonBody());

  keyRoutes(app);
  entityTypeRoutes(app);
  entityRoutes(app);
  machineRoutes(app);
  sessionRoutes(app);
  transactionRoutes(app);
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
  return app;
}
