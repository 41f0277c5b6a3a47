// The entity API's contract: validated by these schemas and published in /openapi.json.
import { createRoute, z } from "@hono/zod-openapi";
import { replyHeaders, VERSION_HEADERS } from "../../contract/headers";
import { JsonPatch } from "../../contract/json-patch";
import {
  access,
  entityId,
  entityType,
  IdempotencyKey,
  intQuery,
  JsonDocument,
  problemContent,
} from "../../schemas/common";
import { watchRoute } from "../../watch/watch-route";

export const MAX_TTL_SECONDS = 31_536_000;
const params = z.object({ type: entityType, id: entityId });
const ttl = intQuery(1, MAX_TTL_SECONDS, "Time to live in seconds; the entity is gone after it");
const ifMatch = z.string().optional().openapi({ description: '`*` or ETags such as `"3"`, comma-separated' });
const writeHeaders = z.object({ "if-match": ifMatch, "idempotency-key": IdempotencyKey });

/** A reply carrying a version of the entity: its document (or none, for a 304) and its headers. */
const VERSIONED = [...VERSION_HEADERS, "Last-Modified"] as const;
const versioned = (description: string, ...extra: Parameters<typeof replyHeaders>) => ({
  description,
  headers: replyHeaders(...VERSIONED, ...extra),
  content: { "application/json": { schema: JsonDocument } },
});
const writeProblems = {
  404: problemContent("No such entity (If-Match on an entity that does not exist is a 412)"),
  412: problemContent("A precondition failed; ETag carries the current version, if any", "ETag?"),
  409: problemContent(
    "unique-violation: another live entity has this document's values of a unique index; or " +
      "transaction-conflict: a transaction held the entity past the write's wait, retry after Retry-After",
    "Retry-After?",
  ),
  503: problemContent(
    "unavailable: an object the write needed did not answer (the tenant's registry, for a new " +
      "entity; the holder of a unique value): nothing was stored, retry after Retry-After",
    "Retry-After",
  ),
};

export const getEntity = createRoute({
  method: "get",
  path: "/v1/entities/{type}/{id}",
  operationId: "getEntity",
  tags: ["entities"],
  summary: "Read an entity (strong by default; ?consistency=eventual reads the KV copy)",
  ...access("read"),
  request: {
    params,
    query: z.object({
      version: intQuery(1, Number.MAX_SAFE_INTEGER, "Read a kept older version"),
      consistency: z.enum(["strong", "eventual"]).optional(),
    }),
    headers: z.object({
      "if-none-match": z
        .string()
        .optional()
        .openapi({ description: 'ETags such as `"3"` (weak comparison), or `*`: a match answers 304' }),
    }),
  },
  responses: {
    200: versioned("The document", "Edgestate-Cache", "Edgestate-Held-By?"),
    304: {
      description: "If-None-Match matched: the version headers, no body",
      headers: replyHeaders(...VERSIONED, "Edgestate-Cache", "Edgestate-Held-By?"),
    },
    404: problemContent("No such entity, or it expired"),
  },
});

export const putEntity = createRoute({
  method: "put",
  path: "/v1/entities/{type}/{id}",
  operationId: "putEntity",
  tags: ["entities"],
  summary: "Create or replace an entity",
  ...access("write"),
  request: {
    params,
    query: z.object({ ttl }),
    headers: writeHeaders.extend({
      "if-none-match": z.string().optional().openapi({ description: "`*`: create only" }),
    }),
    body: { required: true, content: { "application/json": { schema: JsonDocument } } },
  },
  responses: {
    200: versioned("Replaced"),
    201: versioned("Created", "Location"),
    ...writeProblems,
  },
});

export const patchEntity = createRoute({
  method: "patch",
  path: "/v1/entities/{type}/{id}",
  operationId: "patchEntity",
  tags: ["entities"],
  summary: "Change an entity with a merge patch (RFC 7396) or a JSON Patch (RFC 6902, atomic)",
  ...access("write"),
  request: {
    params,
    query: z.object({ ttl }),
    headers: writeHeaders,
    body: {
      required: true,
      content: {
        "application/merge-patch+json": { schema: JsonDocument },
        "application/json-patch+json": { schema: JsonPatch },
      },
    },
  },
  responses: {
    200: versioned("The patched document"),
    ...writeProblems,
    409: problemContent(
      "patch-failed: the patch cannot be applied to the current document (a failed `test`, a missing " +
        "path); unique-violation: another live entity has the patched document's values of a unique " +
        "index; or transaction-conflict: a transaction held the entity past the write's wait (Retry-After)",
      "Retry-After?",
    ),
  },
});

export const deleteEntity = createRoute({
  method: "delete",
  path: "/v1/entities/{type}/{id}",
  operationId: "deleteEntity",
  tags: ["entities"],
  summary: "Delete an entity",
  ...access("write"),
  request: { params, headers: writeHeaders },
  responses: {
    204: {
      description:
        "Deleted; Edgestate-Version is the tombstone's version (absent on replays stored before it)",
      headers: replyHeaders("Edgestate-Version?"),
    },
    ...writeProblems,
  },
});

const HistoryItem = z
  .object({
    version: z.number().int(),
    op: z.enum(["put", "patch", "delete"]),
    at: z.string().openapi({ format: "date-time" }),
    body: JsonDocument.openapi({ description: "The document as of this version; null for a delete" }),
  })
  .strict();

export const entityHistory = createRoute({
  method: "get",
  path: "/v1/entities/{type}/{id}/history",
  operationId: "getEntityHistory",
  tags: ["entities"],
  summary: "Kept versions, newest first",
  ...access("read"),
  request: {
    params,
    query: z.object({
      limit: intQuery(1, 100, "Page size (default 20)"),
      cursor: intQuery(1, Number.MAX_SAFE_INTEGER, "From a previous page"),
    }),
  },
  responses: {
    200: {
      description: "A page of history",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(HistoryItem), cursor: z.string().nullable() }).strict(),
        },
      },
    },
    404: problemContent("No such entity"),
  },
});

const ListedEntity = z
  .object({
    id: z.string(),
    version: z.number().int(),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .strict();

export const listEntities = createRoute({
  method: "get",
  path: "/v1/entities/{type}",
  operationId: "listEntities",
  tags: ["entities"],
  summary: "List a type's entities from the KV index (eventually consistent)",
  ...access("read"),
  request: {
    params: z.object({ type: entityType }),
    query: z.object({
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9._~-]{0,256}$/, "must be a valid id prefix")
        .optional(),
      limit: intQuery(1, 1000, "Page size (default 100)"),
      cursor: z.string().max(1024).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of ids",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(ListedEntity), cursor: z.string().nullable() }).strict(),
        },
      },
    },
  },
});

export const watchEntity = watchRoute({
  operationId: "watchEntity",
  path: "/v1/entities/{type}/{id}/watch",
  tags: ["entities"],
  summary: "Watch an entity as it changes",
  description:
    'First the current state (`{"type":"version",…}`, `{"type":"deleted","version"}`, ' +
    '`{"type":"expired"}` or `{"type":"missing"}`), or with `since` every kept version after it ' +
    '(`{"type":"gap","oldest"}` and the current state when they are no longer kept); then ' +
    '`{"type":"version","version","op","at","body","expiresAt"}` for every committed version, ' +
    '`{"type":"deleted","version"}` and `{"type":"expired"}`.',
  params,
  seq: "version",
});
