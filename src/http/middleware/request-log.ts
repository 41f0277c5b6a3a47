import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";
import type { RouteTable } from "../route-table";

/**
 * One JSON line per request. Never a secret or a document body: only ids, the route pattern
 * (not the raw path, which holds entity ids), the status and the time taken. The pattern is the
 * matched route's, even when a middleware refused the request (a 401, 403 or 429 names the route
 * that was refused, not `/v1/*`).
 */
export function requestLog(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    if (!getConfig(c.env).logRequests) return;
    console.log(
      JSON.stringify({
        requestId: c.get("requestId"),
        tenant: c.get("tenant") ?? null,
        method: c.req.method,
        route: routes.of(c)?.pattern ?? routePath(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        cache: c.get("cache") ?? null,
      }),
    );
  };
}
