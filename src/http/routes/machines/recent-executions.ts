// GET /v1/executions: the tenant's executions across every machine, newest first, from the KV
// index each execution writes beside its machine's (eventually consistent, like every listing).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listRecentExecutions } from "../../../cache/machine-index";
import type { AppEnv } from "../../app-env";
import { badRequest } from "../../problem";
import { access } from "../../schemas/common";
import { ListedExecution, listedExecution, listingQuery } from "./listing";

const recentExecutions = createRoute({
  method: "get",
  path: "/v1/executions",
  operationId: "listRecentExecutions",
  tags: ["executions"],
  summary: "The tenant's executions across machines, newest first (KV index, eventually consistent)",
  description:
    "Executions of deleted machines are listed too (describe and history still answer for them). " +
    "With `status`, a page may hold fewer than `limit` items and still have a cursor.",
  ...access("read"),
  request: { query: listingQuery },
  responses: {
    200: {
      description: "A page of executions",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(z.object({ machine: z.string() }).extend(ListedExecution.shape).strict()),
              cursor: z.string().nullable(),
            })
            .strict(),
        },
      },
    },
  },
});

export function recentExecutionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(recentExecutions, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const page = await listRecentExecutions(c.env.CACHE, {
      tenant: c.get("tenant")!,
      limit: limit ?? 100,
      ...(cursor ? { cursor } : {}),
      ...(status ? { status } : {}),
    }).catch((e: unknown) => {
      throw cursor ? badRequest("the cursor is not valid for this listing") : e;
    });
    const items = page.items.map((x) => ({ machine: x.machine, ...listedExecution(x) }));
    return c.json({ items, cursor: page.cursor }, 200);
  });
}
