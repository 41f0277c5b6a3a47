// GET /v1/entities: the tenant's entity types that hold live documents (what a console or a
// backup tool looks for first). Eventually consistent, like listing one type's documents.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ENTITY_TYPE } from "../../../core/names";
import { listEntityTypes } from "../../../objects/entity-types";
import type { AppEnv } from "../../app-env";
import { access, intQuery } from "../../schemas/common";

const listTypes = createRoute({
  method: "get",
  path: "/v1/entities",
  operationId: "listEntityTypes",
  tags: ["entities"],
  summary: "List the tenant's entity types (eventually consistent)",
  description:
    "Types in the order of their keys, each with at least one live document in the list index. " +
    "A page may hold fewer than `limit` types and still have a cursor.",
  ...access("read"),
  request: {
    query: z.object({
      limit: intQuery(1, 100, "Page size (default 50)"),
      cursor: z
        .string()
        .regex(ENTITY_TYPE, "not a cursor of this listing")
        .optional()
        .openapi({ description: "The cursor of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "A page of types",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(z.object({ type: z.string() }).strict()),
              cursor: z.string().nullable(),
            })
            .strict(),
        },
      },
    },
  },
});

export function entityTypeRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listTypes, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = await listEntityTypes(
      c.env,
      c.get("tenant")!,
      { after: cursor ?? "", limit: limit ?? 50 },
      Date.now(),
    );
    return c.json({ items: page.types.map((type) => ({ type })), cursor: page.cursor }, 200);
  });
}
