import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";
import { publicAccess } from "../schemas/common";

const Health = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    problems: z.array(z.string()).optional().openapi({ description: "What is misconfigured" }),
  })
  .strict()
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["service"],
  summary: "Whether this deployment can serve data (no key needed)",
  ...publicAccess,
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: Health } } },
    503: {
      description: "Misconfigured: `problems` says what is wrong",
      content: { "application/json": { schema: Health } },
    },
  },
});

/** No auth: load balancers and the quick start call it. A misconfigured deployment is not healthy. */
export function healthRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(health, (c) => {
    const { problems } = getConfig(c.env);
    if (problems.length) {
      console.error(JSON.stringify({ requestId: c.get("requestId"), event: "misconfigured", problems }));
      return c.json({ status: "unavailable" as const, problems }, 503);
    }
    return c.json({ status: "ok" as const }, 200);
  });
}
