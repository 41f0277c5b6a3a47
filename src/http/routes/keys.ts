import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { issueAwsSecret, sealAwsSecret } from "../../auth/aws-secret";
import { isKeyId, issueKey } from "../../auth/key-format";
import { hasScope } from "../../auth/principal";
import { forgetKey } from "../../auth/verify-key";
import { getConfig } from "../../config";
import { type KeyRecord, SCOPES, summarize } from "../../core/keys/contract";
import { TENANT } from "../../core/names";
import { apiKeyStub, keyRegistryStub, registerObject } from "../../objects/names";
import type { AppEnv } from "../app-env";
import { NO_STORE, replyHeaders } from "../contract/headers";
import { refusesIdempotencyKey } from "../middleware/no-idempotency-key";
import { problem } from "../problem";
import { access, keyedHeaders, pageQuery, problemContent, unkeyedHeaders } from "../schemas/common";

const KeySummary = z
  .object({
    id: z.string(),
    tenant: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    name: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
    revokedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .strict()
  .openapi("KeySummary");

const CreateKey = z
  .object({
    tenant: z.string().regex(TENANT, `must match ${TENANT.source}`),
    scopes: z.array(z.enum(SCOPES)).min(1).max(3),
    name: z.string().min(1).max(128).default(""),
  })
  .strict()
  .openapi("CreateKey");

const ISSUE_UNKEYED = "the secret is shown once and never stored, so its reply cannot be replayed";

const keyId = z.string().openapi({ param: { name: "id", in: "path" } });

const createKey = createRoute({
  method: "post",
  path: "/v1/keys",
  operationId: "createKey",
  tags: ["keys"],
  summary: "Issue an API key (shown once)",
  description:
    "Refuses Idempotency-Key (400): the secret is shown in this reply only and never stored, so a " +
    "reply cannot be replayed. After a lost reply, list the keys and revoke the one it created.",
  ...access("admin"),
  middleware: [refusesIdempotencyKey(ISSUE_UNKEYED)] as const,
  request: {
    headers: unkeyedHeaders,
    body: { required: true, content: { "application/json": { schema: CreateKey } } },
  },
  responses: {
    201: {
      description:
        "The key, and its AWS credentials for the Step Functions API (/aws/states): shown only in this reply, store them now",
      headers: replyHeaders("Cache-Control"),
      content: {
        "application/json": {
          schema: KeySummary.extend({
            key: z.string().openapi({ description: "The secret: shown once" }),
            awsAccessKeyId: z.string().openapi({ description: "The key's id" }),
            awsSecretAccessKey: z
              .string()
              .openapi({ description: "For Signature Version 4; stored only sealed" }),
          })
            .strict()
            .openapi("IssuedKey"),
        },
      },
    },
  },
});

const listKeys = createRoute({
  method: "get",
  path: "/v1/keys",
  operationId: "listKeys",
  tags: ["keys"],
  summary: "List keys (never their secrets)",
  ...access("admin"),
  request: {
    query: pageQuery(64).extend({
      tenant: z
        .string()
        .regex(TENANT, `must match ${TENANT.source}`)
        .optional()
        .openapi({ description: "Only this tenant's keys (the root key lists every tenant's without it)" }),
    }),
  },
  responses: {
    200: {
      description: "Keys",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(KeySummary), cursor: z.string().nullable() }).strict(),
        },
      },
    },
  },
});

const revokeKey = createRoute({
  method: "delete",
  path: "/v1/keys/{id}",
  operationId: "revokeKey",
  tags: ["keys"],
  summary: "Revoke a key: refused from the very next request",
  description:
    "Idempotent by itself: a repeat (with or without Idempotency-Key) answers 204 and changes nothing.",
  ...access("admin"),
  request: { params: z.object({ id: keyId }), headers: keyedHeaders },
  responses: { 204: { description: "Revoked" }, 404: problemContent("No such key") },
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function keyRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(createKey, async (c) => {
    const body = c.req.valid("json");
    const principal = c.get("principal")!;
    // A tenant key with the admin scope administers its own tenant only.
    if (principal.kind === "key" && body.tenant !== principal.tenant) {
      throw problem("forbidden", `this key may only issue keys for tenant "${principal.tenant}"`);
    }
    // Nor more than it holds: an admin-only key minting a read-write key would hold every scope.
    const beyond = body.scopes.filter((scope) => !hasScope(principal, scope));
    if (beyond.length > 0) {
      throw problem("forbidden", `this key may only issue scopes it holds; it lacks ${beyond.join(", ")}`);
    }
    const sealer = getConfig(c.env).sealer;
    if (!sealer) throw problem("unavailable", "encryption keys are unavailable");
    const issued = await issueKey();
    const awsSecret = issueAwsSecret();
    const record: KeyRecord = {
      id: issued.id,
      tenant: body.tenant,
      scopes: [...new Set(body.scopes)],
      name: body.name,
      secretHash: issued.secretHash,
      awsSecret: await sealAwsSecret(sealer, body.tenant, issued.id, awsSecret),
      createdAt: Date.now(),
      revokedAt: null,
    };
    // Registered before it exists (as every object holding a sealed value): key rotation finds it.
    await registerObject(c.env, body.tenant, { kind: "api-key", name: issued.id });
    // The per-key record first: once it exists the key works, and it can always be revoked by id.
    if (!(await apiKeyStub(c.env, issued.id).create(record))) throw new Error("key id collision");
    await keyRegistryStub(c.env).put(summarize(record));
    const { createdAt, revokedAt, ...rest } = summarize(record);
    return c.json(
      {
        ...rest,
        key: issued.key,
        awsAccessKeyId: issued.id,
        awsSecretAccessKey: awsSecret,
        createdAt: iso(createdAt)!,
        revokedAt: iso(revokedAt),
      },
      201,
      NO_STORE,
    );
  });

  app.openapi(listKeys, async (c) => {
    const { limit, cursor, tenant } = c.req.valid("query");
    const principal = c.get("principal")!;
    // A tenant key lists its own tenant's keys; naming another tenant is refused, not ignored.
    if (principal.kind === "key" && tenant !== undefined && tenant !== principal.tenant) {
      throw problem("forbidden", `this key may only list the keys of tenant "${principal.tenant}"`);
    }
    const only = principal.kind === "key" ? principal.tenant : tenant;
    const page = await keyRegistryStub(c.env).list({
      ...(only !== undefined ? { tenant: only } : {}),
      limit: limit ?? 100,
      ...(cursor ? { after: cursor } : {}),
    });
    const items = page.items.map((k) => ({
      ...k,
      createdAt: iso(k.createdAt)!,
      revokedAt: iso(k.revokedAt),
    }));
    return c.json({ items, cursor: page.cursor }, 200);
  });

  app.openapi(revokeKey, async (c) => {
    const { id } = c.req.valid("param");
    const principal = c.get("principal")!;
    const notFound = problem("not_found", "no such key");
    if (!isKeyId(id)) throw notFound;
    const stub = apiKeyStub(c.env, id);
    const existing = await stub.read();
    if (!existing || (principal.kind === "key" && existing.tenant !== principal.tenant)) throw notFound;
    const revoked = await stub.revoke(Date.now());
    forgetKey(id);
    if (revoked) await keyRegistryStub(c.env).put(summarize(revoked));
    return c.body(null, 204);
  });
}
