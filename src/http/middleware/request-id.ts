import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";

export const REQUEST_ID_HEADER = "Request-Id";

/**
 * Every reply carries Request-Id; the same id is a problem's `instance` and the log line's key.
 * Set before the route runs, so the reply is built with it (after, Hono would copy the whole
 * Response to add one header); a route that returns a Response it did not build through the
 * context gets it added afterwards.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const id = crypto.randomUUID();
    c.set("requestId", id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    if (!c.res.headers.has(REQUEST_ID_HEADER)) c.header(REQUEST_ID_HEADER, id);
  };
}
