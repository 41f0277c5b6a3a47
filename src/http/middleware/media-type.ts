import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { parseMediaType } from "../body/media-type";
import { problem } from "../problem";
import type { RouteTable } from "../route-table";

/**
 * A body in a media type the matched route did not declare is refused with a 415 that names the
 * ones it takes (in Accept, or Accept-Patch for PATCH: RFC 9110 §15.5.16, RFC 5789 §3.1), before
 * the body is read. The types come from the route's OpenAPI declaration, so the refusal and the
 * document cannot disagree. A malformed Content-Type passes on to jsonBody, which answers 400.
 */
export function mediaType(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function mediaType(c, next) {
    const accepts = routes.of(c)?.accepts;
    const header = c.req.header("Content-Type");
    const sent = header !== undefined || Number(c.req.header("Content-Length") ?? 0) > 0;
    if (!accepts || !sent) return next();
    const type = header === undefined ? null : parseMediaType(header);
    if (header !== undefined && !type) return next();
    if (type && accepts.includes(type.essence)) return next();
    throw unsupportedMediaType(c.req.method, accepts, type ? type.essence : null);
  };
}

/** The 415 of a body that is not in one of `accepts` (null: no Content-Type was sent). */
export function unsupportedMediaType(method: string, accepts: string[], given: string | null) {
  const list = accepts.join(", ");
  const name = method === "PATCH" ? "Accept-Patch" : "Accept";
  return problem(
    "unsupported_media_type",
    `${method} here takes ${list}, not ${given ?? "a body without Content-Type"}`,
    {
      headers: { [name]: list },
    },
  );
}
