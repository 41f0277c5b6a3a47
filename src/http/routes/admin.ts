import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantDirectoryStub } from "../../objects/names";
import { reencryptTenant } from "../../objects/reencrypt-walk";
import type { AppEnv } from "../app-env";
import { refusesIdempotencyKey } from "../middleware/no-idempotency-key";
import { fromFailure } from "../problem";
import { access, intQuery, pageQuery, problemContent, unkeyedHeaders } from "../schemas/common";

/** Objects per call: each is one object RPC, run a few at a time, well inside a request's budget. */
const DEFAULT_BATCH = 50;

const reencrypt = createRoute({
  method: "post",
  path: "/v1/admin/reencrypt",
  operationId: "reencryptTenant",
  tags: ["admin"],
  summary: "Re-encrypt a batch of the tenant's stored values under the primary key; repeat with the cursor",
  description:
    "Walks every object of the tenant that holds sealed values (entities with their history, " +
    "replies and KV copies, sessions, machines, executions), from the tenant's registry, which " +
    "objects write before their first commit. Call until `cursor` is null; `unreached` lists " +
    "objects that did not answer (run the job again for them).",
  ...access("admin"),
  middleware: [refusesIdempotencyKey("the job is idempotent by itself: repeat the call")] as const,
  request: {
    headers: unkeyedHeaders,
    query: z.object({
      cursor: z.string().min(1).max(1024).optional(),
      limit: intQuery(1, 100, `Objects per batch (default ${DEFAULT_BATCH})`),
    }),
  },
  responses: {
    200: {
      description: "One batch done",
      content: {
        "application/json": {
          schema: z
            .object({
              done: z.number().int().openapi({ description: "Objects visited in this batch" }),
              reencrypted: z.number().int().openapi({ description: "Stored values re-sealed in this batch" }),
              unreached: z.array(
                z.object({ kind: z.string(), name: z.string(), cause: z.string() }).strict(),
              ),
              cursor: z.string().nullable(),
            })
            .strict(),
        },
      },
    },
    400: problemContent("Invalid input, an Idempotency-Key (refused here), or a cursor not from this walk"),
    500: problemContent("A stored value cannot be opened (for example its key left the ring)"),
  },
});

const listTenants = createRoute({
  method: "get",
  path: "/v1/admin/tenants",
  operationId: "listTenants",
  tags: ["admin"],
  summary: "Every tenant that stores sealed values: what key rotation walks (root key only)",
  ...access("admin"),
  request: { query: pageQuery(64) },
  responses: {
    200: {
      description: "A page of tenants",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(z.string()), cursor: z.string().nullable() }).strict(),
        },
      },
    },
  },
});

export function adminRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(reencrypt, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const page = await reencryptTenant(c.env, c.get("tenant")!, limit ?? DEFAULT_BATCH, cursor);
    if (!page.ok) throw fromFailure(page);
    return c.json(page.value, 200);
  });

  app.openapi(listTenants, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const principal = c.get("principal")!;
    // A tenant's own admin key sees its own tenant only.
    if (principal.kind === "key") return c.json({ items: [principal.tenant], cursor: null }, 200);
    const page = await tenantDirectoryStub(c.env).list(cursor ?? "", limit ?? 100);
    return c.json({ items: page.tenants, cursor: page.cursor }, 200);
  });
}
