import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { problem } from "./problem";

/**
 * A known path with an unsupported method is 405 with Allow, not 404. The methods per path come
 * from the OpenAPI registry, so the answer can never disagree with the published contract.
 */
export function methodNotAllowed(app: OpenAPIHono<AppEnv>, extra: Record<string, string[]> = {}) {
  const allowed = new Map<string, Set<string>>();
  for (const [path, methods] of Object.entries(extra)) allowed.set(path, new Set(methods));
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const path = definition.route.path.replaceAll(/\/{(.+?)}/g, "/:$1");
    const methods = allowed.get(path) ?? new Set<string>();
    methods.add(definition.route.method.toUpperCase());
    if (definition.route.method === "get") methods.add("HEAD");
    allowed.set(path, methods);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].sort().join(", ");
    app.all(path, (c) => {
      throw problem("method_not_allowed", `${c.req.method} is not allowed here; use ${allow}`, {
        headers: { Allow: allow },
      });
    });
  }
}
