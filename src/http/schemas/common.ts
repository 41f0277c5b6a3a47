// Schemas shared by routes: they validate requests and describe them in /openapi.json.
import { z } from "@hono/zod-openapi";
import type { Scope } from "../../core/keys/contract";
import { ENTITY_ID, ENTITY_TYPE } from "../../core/names";

/**
 * A whole number in a query string, checked against a range: the handler gets a number, and the
 * document says `integer` (what the string must spell), not the regular expression behind it.
 */
export const intQuery = (min: number, max: number, description: string) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, "must be a whole number")
    .transform(Number)
    .refine((v) => v >= min && v <= max, `must be from ${min} to ${max}`)
    .optional()
    .openapi({ description, type: "integer", minimum: min, maximum: max, example: min, pattern: undefined });

/** `?limit&cursor` of a listing whose cursor is an id of at most `cursorLength` characters. */
export const pageQuery = (cursorLength: number) =>
  z.object({
    limit: intQuery(1, 1000, "Page size (default 100)"),
    cursor: z.string().max(cursorLength).optional(),
  });

export const entityType = z
  .string()
  .regex(ENTITY_TYPE, `must match ${ENTITY_TYPE.source}`)
  .openapi({ param: { name: "type", in: "path" }, example: "user" });

export const entityId = z
  .string()
  .regex(ENTITY_ID, `must match ${ENTITY_ID.source}`)
  // "." and ".." are dot-segments: clients and proxies rewrite them, so they can never be addressed reliably.
  .refine((id) => id !== "." && id !== "..", "must not be . or ..")
  .openapi({ param: { name: "id", in: "path" }, example: "u-42" });

export { Problem, problemContent } from "../contract/problems";

/** The OpenAPI extension under which each operation declares the scope it needs. */
export const SCOPE_EXTENSION = "x-edgestate-scope";

/** The extension marking operations that also take a single-use `?ticket=` (browsers' WebSockets). */
export const TICKET_EXTENSION = "x-edgestate-ticket";

/**
 * How a route is reached: a bearer key with `scope` (or, for a watch, a ticket). Every route
 * declares this where it is defined; the auth middleware reads it from the registry
 * (http/route-table.ts), and /openapi.json publishes it with each operation.
 */
export const access = (scope: Scope, options: { ticket?: true } = {}) => ({
  security: (options.ticket ? [{ bearer: [] }, { ticket: [] }] : [{ bearer: [] }]) as Record<
    string,
    string[]
  >[],
  [SCOPE_EXTENSION]: scope,
  ...(options.ticket ? { [TICKET_EXTENSION]: true } : {}),
});

/** A route whose scope depends on what the request asks (the AWS endpoint: read or write per action). */
export const PER_ACTION = "per-action";
/** How a route outside /v1 is reached: by anyone, with no key (health, the document itself). */
export const publicAccess = { security: [] as { bearer: never[] }[], [SCOPE_EXTENSION]: "public" as const };

export const IdempotencyKey = z
  .string()
  .regex(/^[\x20-\x7e]{1,255}$/, "must be 1–255 printable ASCII characters")
  .optional()
  .openapi({ description: "Replays the first reply of a retried request for 24 h" });

/** The headers of a mutation that honours Idempotency-Key. */
export const keyedHeaders = z.object({ "idempotency-key": IdempotencyKey });

/**
 * The header on a mutation that cannot honour Idempotency-Key: documented, and refused with a 400
 * (refusesIdempotencyKey), never silently ignored.
 */
export const unkeyedHeaders = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({ description: "Not accepted here (400): see the operation's description" }),
});

export const JsonDocument = z.unknown().openapi({ description: "Any JSON value" });
