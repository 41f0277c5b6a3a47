// The entity API's contract: validated by these schemas and published in /openapi.json.
import { createRoute, z } from "@hono/zod-openapi";
import {
  access,
  commonProblems,
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
const writeHeaders = z.object({
  "if-match": z.string().optional().openapi({ description: '`*` or an ETag such as `"3"`' }),
  "idempotency-key": IdempotencyKey,
});
const document = (description: string) => ({
  description,
  content: { "application/json": { schema: JsonDocument } },
});
const writeProblems = {
  ...commonProblems,
  404: problemContent("No such entity"),
  412: problemContent("A precondition failed; the reply carries the current ETag"),
  413: problemContent("Body too large"),
  422: problemContent("Idempotency-Key reused with a different request"),
};

export const getEntity = createRoute({
  method: "get",
  path: "/v1/entities/{type}/{id}",
  tags: ["entities"],
  summary: "Read an entity (strong by default; ?consistency=eventual reads the KV copy)",
  ...access("read"),
  request: {
    params,
    query: z.object({
      version: intQuery(1, Number.MAX_SAFE_INTEGER, "Read a kept older version"),
      consistency: z.enum(["strong", "eventual"]).optional(),
    }),
  },
  responses: {
    200: document("The document; ETag, Last-Modified, Edgestate-Version, Edgestate-Cache headers"),
    304: { description: "If-None-Match matched" },
    404: problemContent("No such entity, or it expired"),
    ...commonProblems,
  },
});

export const putEntity = createRoute({
  method: "put",
  path: "/v1/entities/{type}/{id}",
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
  responses: { 200: document("Replaced"), 201: document("Created"), ...writeProblems },
});

export const patchEntity = createRoute({
  method: "patch",
  path: "/v1/entities/{type}/{id}",
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
        "application/json-patch+json": {
          schema: z.unknown().openapi({ description: "An array of RFC 6902 operations" }),
        },
      },
    },
  },
  responses: {
    200: document("The patched document"),
    409: problemContent("The patch cannot be applied to the current document"),
    415: problemContent("Unsupported patch format; see Accept-Patch"),
    ...writeProblems,
  },
});

export const deleteEntity = createRoute({
  method: "delete",
  path: "/v1/entities/{type}/{id}",
  tags: ["entities"],
  summary: "Delete an entity",
  ...access("write"),
  request: { params, headers: writeHeaders },
  responses: { 204: { description: "Deleted" }, ...writeProblems },
});

export const entityHistory = createRoute({
  method: "get",
  path: "/v1/entities/{type}/{id}/history",
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
          schema: z.object({
            items: z.array(
              z.object({
                version: z.number().int(),
                op: z.enum(["put", "patch", "delete"]),
                at: z.string(),
                body: JsonDocument,
              }),
            ),
            cursor: z.string().nullable(),
          }),
        },
      },
    },
    404: problemContent("No such entity"),
    ...commonProblems,
  },
});

export const listEntities = createRoute({
  method: "get",
  path: "/v1/entities/{type}",
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
          schema: z.object({
            items: z.array(z.object({ id: z.string(), version: z.number().int(), updatedAt: z.string() })),
            cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...commonProblems,
  },
});

export const watchEntity = watchRoute({
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
