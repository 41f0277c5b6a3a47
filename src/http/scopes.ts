// The scope each route needs, as the route declared it (`access(scope)` in schemas/common.ts),
// read back from the OpenAPI registry once every route is registered. The auth middleware asks
// for the scope of the route a request matched: no path strings are compared.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { Scope } from "../core/keys/contract";
import type { AppEnv } from "./app-env";
import { PER_ACTION, SCOPE_EXTENSION, TICKET_EXTENSION } from "./schemas/common";

export class ScopeTable {
  private readonly scopes = new Map<string, Scope>();
  private readonly ticketed = new Set<string>();

  /** Call after the last route is registered. */
  load(app: OpenAPIHono<AppEnv>): void {
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type !== "route") continue;
      const { method, path } = definition.route;
      const scope: unknown = Reflect.get(definition.route, SCOPE_EXTENSION);
      // The AWS endpoint authenticates itself and decides per action (http/aws/actions).
      if (scope === PER_ACTION) continue;
      if (scope !== "read" && scope !== "write" && scope !== "admin") {
        throw new Error(`${method.toUpperCase()} ${path} declares no scope (access(...) in its route)`);
      }
      const routeKey = key(method, path.replaceAll(/\/{(.+?)}/g, "/:$1"));
      this.scopes.set(routeKey, scope);
      if (Reflect.get(definition.route, TICKET_EXTENSION) === true) this.ticketed.add(routeKey);
    }
  }

  /** Whether the route this request matched takes a `?ticket=` instead of a bearer key. */
  takesTicket(c: Context<AppEnv>): boolean {
    return matchedRoutes(c).some((route) => this.ticketed.has(key(route.method, route.path)));
  }

  /** The scope of the route this request matched; undefined when none matched (a 404 or 405 follows). */
  of(c: Context<AppEnv>): Scope | undefined {
    for (const route of matchedRoutes(c)) {
      const scope = this.scopes.get(key(route.method, route.path));
      if (scope) return scope;
    }
    return undefined;
  }
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
