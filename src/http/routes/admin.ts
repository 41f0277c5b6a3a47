import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listTenantEntities } from "../../cache/entity-cache";
import { entityStub } from "../../objects/names";
import type { AppEnv } from "../app-env";
import { badRequest, fromFailure } from "../problem";
import { commonProblems, intQuery, problemContent, security } from "../schemas/common";

/** Entities per call: each is one object RPC, run a few at a time, well inside a request's budget. */
const DEFAULT_BATCH = 50;
const PARALLEL = 8;

const reencrypt = createRoute({
  method: "post",
  path: "/v1/admin/reencrypt",
  tags: ["admin"],
  summary: "Re-encrypt a batch of the tenant's entities under the primary key; repeat with the cursor",
  description:
    "Walks the tenant's entities from the KV index (eventually consistent: an entity written in " +
    "the last minute in another location, or idle longer than CACHE_TTL_SECONDS, may be missed; " +
    "writes already use the primary key). Call until `cursor` is null.",
  security,
  request: {
    query: z.object({
      cursor: z.string().min(1).max(1024).optional(),
      limit: intQuery(1, 100, `Entities per batch (default ${DEFAULT_BATCH})`),
    }),
  },
  responses: {
    200: {
      description: "One batch done",
      content: {
        "application/json": {
          schema: z.object({
            done: z.number().int().openapi({ description: "Entities visited in this batch" }),
            reencrypted: z.number().int().openapi({ description: "Stored values re-sealed in this batch" }),
            cursor: z.string().nullable(),
          }),
        },
      },
    },
    500: problemContent("A stored value cannot be opened (for example its key left the ring)"),
    ...commonProblems,
  },
});

export function adminRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(reencrypt, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const tenant = c.get("tenant")!;
    const page = await listTenantEntities(c.env.CACHE, {
      tenant,
      limit: limit === undefined ? DEFAULT_BATCH : Number(limit),
      ...(cursor ? { cursor } : {}),
    }).catch((e: unknown) => {
      throw cursor ? badRequest("the cursor is not valid for this tenant's entities") : e;
    });
    let reencrypted = 0;
    for (let i = 0; i < page.items.length; i += PARALLEL) {
      const slice = page.items.slice(i, i + PARALLEL);
      const results = await Promise.all(slice.map((a) => entityStub(c.env, a).reencrypt(a)));
      for (const result of results) {
        if (!result.ok) throw fromFailure(result);
        reencrypted += result.value.reencrypted;
      }
    }
    return c.json({ done: page.items.length, reencrypted, cursor: page.cursor }, 200);
  });
}
