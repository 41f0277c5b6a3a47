import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { badRequest } from "../problem";

/**
 * For the few mutations that cannot honour Idempotency-Key: the header is refused with a 400
 * saying why, rather than ignored, so a client that relies on it is never misled into a second
 * key or job it did not expect. `why` finishes the sentence "… because …".
 */
export function refusesIdempotencyKey(why: string): MiddlewareHandler<AppEnv> {
  return async function refusesIdempotencyKey(c, next) {
    if (c.req.header("Idempotency-Key") !== undefined) {
      const message = `this request does not take an Idempotency-Key: ${why}`;
      throw badRequest(message, [{ pointer: "/headers/idempotency-key", message }]);
    }
    await next();
  };
}
