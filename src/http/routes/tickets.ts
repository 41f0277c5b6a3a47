// POST /v1/tickets: a single-use, short-lived ticket for one watch, for clients that cannot send an
// Authorization header on a WebSocket (browsers). The ticket is kept, hashed, by the record of the
// key that asked for it (or the root key's own object), bound to the tenant and the watch path.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { hasScope } from "../../auth/principal";
import { MAX_TICKET_SECONDS, newTicket, ROOT_ISSUER, ticketTarget } from "../../auth/ticket-format";
import { isoTime } from "../../core/clock";
import { apiKeyStub } from "../../objects/names";
import type { AppEnv } from "../app-env";
import { NO_STORE, replyHeaders } from "../contract/headers";
import { refusesIdempotencyKey } from "../middleware/no-idempotency-key";
import { badRequest, problem } from "../problem";
import { access, unkeyedHeaders } from "../schemas/common";
import { pathMatcher } from "../watch/watch-route";

const CreateTicket = z
  .object({
    watch: z
      .string()
      .max(2048)
      .openapi({ description: "The watch path the ticket opens", example: "/v1/entities/user/u-42/watch" }),
    ttl: z
      .number()
      .int()
      .min(1)
      .max(MAX_TICKET_SECONDS)
      .optional()
      .openapi({ description: `Seconds the ticket stays valid (default and most: ${MAX_TICKET_SECONDS})` }),
  })
  .strict()
  .openapi("CreateTicket");

const Ticket = z
  .object({
    ticket: z.string().openapi({ description: "The secret: pass it as `?ticket=` once" }),
    watch: z.string(),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .strict()
  .openapi("Ticket");

const UNKEYED = "the ticket is shown once and only its hash is kept, so its reply cannot be replayed";

const createTicket = createRoute({
  method: "post",
  path: "/v1/tickets",
  operationId: "createTicket",
  tags: ["watch"],
  summary: "Issue a single-use ticket for one watch (for browsers' WebSockets)",
  description:
    "Pass it as `?ticket=` on the watch path it names, within its lifetime, instead of Authorization. " +
    "It is spent by its first use, allowed or not; the watch acts as the issuing key, read-only, and " +
    "ends when that key is revoked. Refuses Idempotency-Key (400): ask for another ticket instead.",
  ...access("write"),
  middleware: [refusesIdempotencyKey(UNKEYED)] as const,
  request: {
    headers: unkeyedHeaders,
    body: { required: true, content: { "application/json": { schema: CreateTicket } } },
  },
  responses: {
    201: {
      description: "The ticket (a secret until it is spent: no cache keeps this reply)",
      headers: replyHeaders("Cache-Control"),
      content: { "application/json": { schema: Ticket } },
    },
  },
});

/** The watch routes a ticket may open (their definitions check each path parameter). */
export type WatchRouteDefinition = Parameters<typeof pathMatcher>[0];

export function ticketRoutes(app: OpenAPIHono<AppEnv>, watchRoutes: WatchRouteDefinition[]) {
  const matchers = watchRoutes.map(pathMatcher);
  app.openapi(createTicket, async (c) => {
    const { watch, ttl } = c.req.valid("json");
    if (!matchers.some((matches) => matches(watch)))
      throw badRequest("`watch` must be the path of a watch route, such as /v1/entities/user/u-42/watch", [
        { pointer: "/watch", message: "not a watch path" },
      ]);
    const principal = c.get("principal")!;
    // The watch acts as the issuing key, read-only: a key that may not read may not watch either.
    if (!hasScope(principal, "read"))
      throw problem("forbidden", 'this key lacks the "read" scope a watch needs');
    const issuer = principal.kind === "key" ? principal.id : ROOT_ISSUER;
    const now = Date.now();
    const expiresAt = now + (ttl ?? MAX_TICKET_SECONDS) * 1000;
    const [{ ticket, hash }, target] = await Promise.all([newTicket(issuer), ticketTarget(watch)]);
    const record = { hash, tenant: c.get("tenant")!, target, expiresAt };
    const stored = await apiKeyStub(c.env, issuer).issueTicket(record, now, issuer === ROOT_ISSUER);
    // Only a key revoked within the last few seconds (still in this isolate's cache) gets here.
    if (!stored) throw problem("unauthorized", "the API key is unknown or revoked");
    return c.json({ ticket, watch, expiresAt: isoTime(expiresAt) }, 201, NO_STORE);
  });
}
