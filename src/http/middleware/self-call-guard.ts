import type { MiddlewareHandler } from "hono";
import { cameFromOwnTask, SELF_CALL_HEADER } from "../../executions/self-call";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";

/**
 * A request sent by one of this deployment's own HTTP tasks (its Via names us) is refused with
 * 508 Loop Detected before anything else runs: a machine that could call edgestate could start
 * itself, and each run start two more. The header tells the task to fail with
 * Edgestate.DestinationNotAllowed rather than a bare status code.
 */
export function selfCallGuard(): MiddlewareHandler<AppEnv> {
  return async function selfCallGuard(c, next) {
    const via = c.req.header("Via");
    // Only a Via that names an edgestate hop is worth the (async) pseudonym check.
    if (via?.includes("edgestate-") && (await cameFromOwnTask(c.env, via))) {
      throw problem("loop_detected", "an edgestate HTTP task may not call the deployment that runs it", {
        headers: { [SELF_CALL_HEADER]: "refused" },
      });
    }
    await next();
  };
}
