import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";

/** Every reply carries Request-Id; the same id is a problem's `instance` and the log line's key. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const id = crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.header("Request-Id", id);
  };
}
