// The secondary index API's contract: validated by these schemas and published in /openapi.json.
import { createRoute, z } from "@hono/zod-openapi";
import { MAX_CURSOR_CHARS } from "../../../core/indexes/cursor";
import { MAX_KEYS, MAX_POINTER_LENGTH, MIN_KEYS } from "../../../core/indexes/definition";
import { MAX_LIMIT } from "../../../core/indexes/query";
import { ENTITY_TYPE } from "../../../core/names";
import { access, entityType, JsonDocument, keyedHeaders, problemContent } from "../../schemas/common";

const indexName = z
  .string()
  .regex(ENTITY_TYPE, `must match ${ENTITY_TYPE.source}`)
  .openapi({ param: { name: "index", in: "path" }, example: "by-customer" });
const typeParams = z.object({ type: entityType });
export const params = z.object({ type: entityType, index: indexName });
const pointer = z.string().max(MAX_POINTER_LENGTH).openapi({ example: "/customer" });

export const IndexDefinitionBody = z
  .object({
    keys: z
      .array(pointer)
      .min(MIN_KEYS)
      .max(MAX_KEYS)
      .openapi({ description: "1–3 JSON Pointers into the document, compared by equality" }),
    sort: pointer.nullable().optional().openapi({
      description: "A JSON Pointer whose value orders results and takes ranges",
      example: "/createdAt",
    }),
    unique: z.boolean().optional().openapi({
      description:
        "No two live entities may share the key values: a write that would is refused with 409 unique-violation",
    }),
  })
  .strict()
  .openapi("IndexDefinition");

const IndexSummary = z
  .object({
    type: z.string(),
    index: z.string(),
    keys: z.array(z.string()),
    sort: z.string().nullable(),
    unique: z.boolean(),
    status: z.enum(["BUILDING", "ACTIVE"]),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .strict()
  .openapi("Index");

const IndexDetail = IndexSummary.extend({
  entries: z
    .number()
    .int()
    .openapi({ description: "Live entries (of the generation being built while BUILDING)" }),
  rebuilding: z
    .boolean()
    .openapi({ description: "A build under the primary key runs beside it (after key rotation)" }),
  visited: z.number().int().optional().openapi({ description: "Entities the running build has visited" }),
})
  .strict()
  .openapi("IndexDetail");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const putIndex = createRoute({
  operationId: "putIndex",
  method: "put",
  path: "/v1/indexes/{type}/{index}",
  tags: ["indexes"],
  summary:
    "Create a secondary index over a type's entities (built over the existing ones: BUILDING, then ACTIVE)",
  ...access("write"),
  request: {
    params,
    headers: keyedHeaders,
    body: { required: true, content: { "application/json": { schema: IndexDefinitionBody } } },
  },
  responses: {
    200: json(IndexSummary, "The same definition exists already"),
    201: json(IndexSummary, "Created; BUILDING until every existing entity is indexed"),
    409: problemContent("Another definition exists under this name, or the type has its 10 indexes"),
  },
});

export const listIndexes = createRoute({
  operationId: "listIndexes",
  method: "get",
  path: "/v1/indexes/{type}",
  tags: ["indexes"],
  summary: "The type's indexes",
  ...access("read"),
  request: { params: typeParams },
  responses: {
    200: json(z.object({ items: z.array(IndexSummary) }).strict(), "Every index of the type"),
  },
});

export const getIndex = createRoute({
  operationId: "getIndex",
  method: "get",
  path: "/v1/indexes/{type}/{index}",
  tags: ["indexes"],
  summary: "One index: its status and entry count",
  ...access("read"),
  request: { params },
  responses: {
    200: json(IndexDetail, "The index"),
    404: problemContent("No such index"),
  },
});

export const deleteIndex = createRoute({
  operationId: "deleteIndex",
  method: "delete",
  path: "/v1/indexes/{type}/{index}",
  tags: ["indexes"],
  summary: "Drop an index (its entries go; the entities stay)",
  ...access("write"),
  request: { params, headers: keyedHeaders },
  responses: {
    204: { description: "Dropped" },
    404: problemContent("No such index"),
  },
});

const scalarMap = (description: string) =>
  z.record(z.string(), JsonDocument).openapi({ description, type: "object", additionalProperties: true });

export const QueryBody = z
  .object({
    where: scalarMap("Every key pointer of the index with the scalar it must equal"),
    range: scalarMap("gt, gte, lt, lte, beginsWith on the sort value").optional(),
    order: z.enum(["asc", "desc"]).optional().openapi({ description: "By the sort value (default asc)" }),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional().openapi({ description: "Default 100" }),
    cursor: z.string().max(MAX_CURSOR_CHARS).nullable().optional().openapi({
      description: "From the previous page: about 4/3 of its last item's sort value, plus ~100 characters",
    }),
    include: z.enum(["ids", "documents"]).optional().openapi({ description: "Default ids" }),
  })
  .strict()
  .openapi("IndexQuery");

const QueryItem = z
  .object({
    id: z.string(),
    version: z.number().int(),
    updatedAt: z.string().openapi({ format: "date-time" }),
    sort: JsonDocument.optional(),
    body: JsonDocument.optional(),
  })
  .strict();

export const queryIndex = createRoute({
  operationId: "queryIndex",
  method: "post",
  path: "/v1/indexes/{type}/{index}/query",
  tags: ["indexes"],
  summary:
    "Entities whose key values equal `where`, in sort order, one page at a time (eventually consistent)",
  ...access("read"),
  request: {
    params,
    body: { required: true, content: { "application/json": { schema: QueryBody } } },
  },
  responses: {
    200: json(
      z.object({ items: z.array(QueryItem), cursor: z.string().nullable() }).strict(),
      "A page of matches",
    ),
    404: problemContent("No such index"),
    409: problemContent("The index is still being built (BUILDING)"),
    500: problemContent("A stored document cannot be opened (its key left the ring)"),
  },
});
