import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { parseMediaType } from "../body/media-type";
import { badRequest, problem } from "../problem";
import type { RouteTable } from "../route-table";

/**
 * Input the matched route did not declare is refused before anything reads it, against the
 * route's own OpenAPI declaration, so the refusal and the document cannot disagree:
 * - a query parameter it does not list is a 400 naming it: a misspelt `?tll=60` must not quietly
 *   write an entity that never expires;
 * - content on an operation that takes none is a 400: a DELETE whose body the server would never
 *   read is not applied as its client meant it;
 * - a body in a media type it does not take is a 415 naming the ones it does (in Accept, or
 *   Accept-Patch for PATCH: RFC 9110 §15.5.16, RFC 5789 §3.1). A malformed Content-Type passes on
 *   to jsonBody, which answers 400.
 */
export function declaredInput(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function declaredInput(c, next) {
    const route = routes.of(c);
    if (!route) return next();
    const url = c.req.url;
    // Most requests have no query string: no URL to parse for them.
    const unknown = url.includes("?")
      ? [...new Set(new URL(url).searchParams.keys())].filter((q) => !route.query.includes(q))
      : [];
    if (unknown.length) {
      const errors = unknown.map((name) => ({
        pointer: `/query/${name}`,
        message: "is not a known parameter",
      }));
      throw badRequest("the query string is invalid", errors);
    }
    const accepts = route.accepts;
    const header = c.req.header("Content-Type");
    if (!accepts) {
      if (hasContent(c.req.raw)) throw badRequest(`${c.req.method} here takes no body`);
      return next();
    }
    const sent = header !== undefined || Number(c.req.header("Content-Length") ?? 0) > 0;
    if (!sent) return next();
    const type = header === undefined ? null : parseMediaType(header);
    if (header !== undefined && !type) return next();
    if (type && accepts.includes(type.essence)) return next();
    throw unsupportedMediaType(c.req.method, accepts, type ? type.essence : null);
  };
}

/** Content the request declares (a length above 0, or a chunked body of unknown length). */
const hasContent = (request: Request) =>
  Number(request.headers.get("Content-Length") ?? 0) > 0 ||
  (request.headers.has("Transfer-Encoding") && request.body !== null);

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
