// What each route declared, read back from the OpenAPI registry once every route is registered:
// the scope it needs (`access(scope)` in schemas/common.ts), whether a ticket may stand in for the
// key, and the media types its body may have.
// Middleware asks for the route a request matched, so no path strings are compared and the
// behaviour can never disagree with the published contract.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { Scope } from "../core/keys/contract";
import type { AppEnv } from "./app-env";
import { PER_ACTION, SCOPE_EXTENSION, TICKET_EXTENSION } from "./schemas/common";

export interface DeclaredRoute {
  /** The route's pattern as the router writes it (`/v1/entities/:type/:id`): what logs name. */
  pattern: string;
  /** `public`: reached without a key (only outside /v1); PER_ACTION: the route decides (/aws/states). */
  scope: Scope | "public" | typeof PER_ACTION;
  /** The media types its body may have (essences, lower-case); null when it takes no body. */
  accepts: string[] | null;
  /** The query parameters it declares. */
  query: string[];
  /** Whether it also takes a single-use `?ticket=` instead of a bearer key (the watch routes). */
  ticket: boolean;
}

const SCOPES: readonly unknown[] = [
  "read",
  "write",
  "admin",
  "public",
  PER_ACTION,
] satisfies DeclaredRoute["scope"][];

export class RouteTable {
  private readonly routes = new Map<string, DeclaredRoute>();
  /** null: looked up, and no route matched. Weak: gone with the request. */
  private readonly byRequest = new WeakMap<Request, DeclaredRoute | null>();

  /** Call after the last route is registered. */
  load(app: OpenAPIHono<AppEnv>): void {
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type !== "route") continue;
      const { method, path, request } = definition.route;
      const where = `${method.toUpperCase()} ${path}`;
      const scope: unknown = Reflect.get(definition.route, SCOPE_EXTENSION);
      if (!SCOPES.includes(scope)) throw new Error(`${where} declares no scope (access(...) in its route)`);
      if ((scope === "public" || scope === PER_ACTION) && path.startsWith("/v1/")) {
        throw new Error(`${where}: a /v1 route declares its scope`);
      }
      const content = request?.body?.content;
      const pattern = path.replaceAll(/\/{(.+?)}/g, "/:$1");
      this.routes.set(key(method, pattern), {
        pattern,
        scope: scope as DeclaredRoute["scope"],
        accepts: content ? Object.keys(content).map((type) => type.toLowerCase()) : null,
        query: Object.keys(shapeOf(request?.query)),
        ticket: Reflect.get(definition.route, TICKET_EXTENSION) === true,
      });
    }
  }

  /**
   * The route this request matched; undefined when none did (a 404 or 405 follows). Several
   * middlewares ask on every request, and the answer cannot change once routing is done, so it is
   * looked up once per request (a walk over Hono's matched handlers) and remembered with it.
   */
  of(c: Context<AppEnv>): DeclaredRoute | undefined {
    const remembered = this.byRequest.get(c.req.raw);
    if (remembered !== undefined) return remembered ?? undefined;
    let found: DeclaredRoute | null = null;
    for (const route of matchedRoutes(c)) {
      const declared = this.routes.get(key(route.method, route.path));
      if (declared) {
        found = declared;
        break;
      }
    }
    this.byRequest.set(c.req.raw, found);
    return found ?? undefined;
  }
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** The fields of a zod object schema (a route's `request.query`), none when there is none. */
export function shapeOf(schema: unknown): Record<string, unknown> {
  if (schema && typeof schema === "object" && "shape" in schema) {
    return (schema as { shape: Record<string, unknown> }).shape;
  }
  return {};
}
