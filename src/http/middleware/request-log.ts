import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";

/**
 * One JSON line per request. Never a secret or a document body: only ids, the route pattern
 * (not the raw path, which holds entity ids), the status and the time taken.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const started = performance.now();
    await next();
    if (!getConfig(c.env).logRequests) return;
    console.log(
      JSON.stringify({
        requestId: c.get("requestId"),
        tenant: c.get("tenant") ?? null,
        method: c.req.method,
        route: routePath(c),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        cache: c.get("cache") ?? null,
      }),
    );
  };
}
