// What /openapi.json says about the API as a whole, and the route that serves it. The document is
// generated from the routes' own declarations, completed by complete.ts, on every request, so it
// is never out of date; `npm run check` lints it (Redocly) and type-checks a client generated from it.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { publicAccess } from "../schemas/common";

export const API_VERSION = "0.1.0";

const DESCRIPTION = `State for serverless applications, served from the edge: entities, sessions and state machines.

Every \`/v1\` operation needs \`Authorization: Bearer <API key>\` with the scope it names under
\`x-edgestate-scope\`; the root key may act on any tenant with \`Edgestate-Tenant\`.

Errors are RFC 9457 problem documents (\`application/problem+json\`): \`type\` is
\`urn:edgestate:problem:<slug>\`, \`instance\` the request id, and \`errors\` points at each invalid
field with a JSON Pointer. Besides the statuses each operation lists, a path that does not exist
answers 404, and a method a path does not list answers 405 with \`Allow\` naming the ones it does;
under \`/v1\`, once the key is accepted (before that, the 400, 401, 403, 429 or 503 any \`/v1\`
operation can give). A query parameter an operation does not list is a 400 naming it.

Every reply carries \`Request-Id\`, and the security headers \`Strict-Transport-Security\`,
\`Content-Security-Policy\`, \`X-Content-Type-Options\`, \`X-Frame-Options\`, \`Referrer-Policy\`,
\`Cross-Origin-Opener-Policy\`, \`Cross-Origin-Resource-Policy\`, \`Origin-Agent-Cluster\`,
\`X-DNS-Prefetch-Control\`, \`X-Download-Options\`, \`X-Permitted-Cross-Domain-Policies\` and
\`X-XSS-Protection\`; with \`CORS_ORIGINS\` set, the \`Access-Control-*\` headers of CORS too.
These are not repeated under each response.`;

const TAGS = [
  { name: "entities", description: "Versioned JSON documents: conditional writes, patches, TTL, history" },
  { name: "sessions", description: "User sessions with sliding expiry and instant revocation" },
  { name: "state machines", description: "Amazon States Language definitions, validated and versioned" },
  { name: "executions", description: "Durable runs of a state machine, their history and callbacks" },
  { name: "keys", description: "API keys per tenant, with scopes" },
  { name: "watch", description: "Single-use tickets that open a watch without an Authorization header" },
  { name: "admin", description: "Operations on a whole tenant: key rotation" },
  { name: "service", description: "Health and this document" },
];

/** The document's top level; `server` is the origin it describes. */
export function documentConfig(server: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "edgestate",
      version: API_VERSION,
      description: DESCRIPTION,
      // The project has not chosen a public license: every right is reserved until it does.
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: server, description: "This deployment" }],
    tags: TAGS,
  };
}

const getDocument = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["service"],
  summary: "This document (no key needed)",
  ...publicAccess,
  responses: {
    200: {
      description: "The OpenAPI 3.1 document of this deployment",
      content: {
        "application/json": {
          schema: z.record(z.string(), z.unknown()).openapi({ description: "An OpenAPI 3.1 document" }),
        },
      },
    },
  },
});

/** Registers the components the document shares, and serves it. */
export function documentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerComponent("securitySchemes", "ticket", {
    type: "apiKey",
    in: "query",
    name: "ticket",
    description: "A single-use watch ticket from POST /v1/tickets (watch routes only)",
  });
  app.openapi(getDocument, (c) => c.json(openApiDocument(app, new URL(c.req.url).origin), 200));
}

export const openApiDocument = (app: OpenAPIHono<AppEnv>, server: string) =>
  app.getOpenAPI31Document(documentConfig(server)) as unknown as Record<string, unknown>;
