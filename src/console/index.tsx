// The browser console at /console: server-rendered pages over the public /v1 API.
// Mounted by the app before anything else answers these paths; /v1's auth middleware never sees
// them, because the console authenticates its own visitors (cookie) and then calls /v1 with the key.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { SiteRoutes } from "../http/app";
import type { AppEnv } from "../http/app-env";
import { ApiClient } from "./api-client";
import { assetRoutes } from "./assets/routes";
import { consoleGuard } from "./auth/middleware";
import { authRoutes } from "./auth/routes";
import type { AppFetch, ConsoleEnv } from "./console-env";
import { consoleError, notFoundPage } from "./errors";
import type { page } from "./layout";
import { definitionPages } from "./routes/definitions";
import { entityPages } from "./routes/entities";
import { executionPages } from "./routes/executions";
import { homePage } from "./routes/home";
import { keyPages } from "./routes/keys";
import { machinePages } from "./routes/machines";
import { sessionPages } from "./routes/sessions";

/** "/" (a redirect) and everything under /console. */
export const consoleSite: SiteRoutes = {
  claims: (path) => path === "/" || path === "/console" || path.startsWith("/console/"),
  mount: (site, api) => consoleRoutes(site, api),
};

function consoleRoutes(site: Hono<AppEnv>, api: OpenAPIHono<AppEnv>) {
  const fetchApp: AppFetch = (request, env, ctx) => api.fetch(request, env, ctx);
  const web = new Hono<ConsoleEnv>();
  const client = (c: Parameters<typeof page>[0]) => new ApiClient(fetchApp, c, c.get("session"));

  web.get("/", (c) => c.redirect("/console", 302));
  web.use("/console", consoleGuard());
  web.use("/console/*", consoleGuard());
  assetRoutes(web);
  authRoutes(web);
  homePage(web, client);
  entityPages(web, client);
  sessionPages(web, client);
  definitionPages(web, client);
  machinePages(web, client);
  executionPages(web, client);
  keyPages(web, client);
  web.all("/console/*", notFoundPage);
  web.onError(consoleError);

  site.route("/", web as unknown as Hono<AppEnv>);
}
