// The transaction API's contract: validated by these schemas and published in /openapi.json.
import { createRoute, z } from "@hono/zod-openapi";
import { ENTITY_ID, ENTITY_TYPE } from "../../../core/names";
import { MAX_OPERATIONS } from "../../../core/transactions/contract";
import { replyHeaders } from "../../contract/headers";
import { PROBLEM_MEDIA_TYPE } from "../../contract/problems";
import { access, IdempotencyKey, JsonDocument, Problem } from "../../schemas/common";
import { MAX_TTL_SECONDS } from "../entities/routes";

const type = z
  .string()
  .regex(ENTITY_TYPE, `must match ${ENTITY_TYPE.source}`)
  .openapi({ example: "account" });
const id = z
  .string()
  .regex(ENTITY_ID, `must match ${ENTITY_ID.source}`)
  .refine((v) => v !== "." && v !== "..", "must not be . or ..")
  .openapi({ example: "a" });
const ifMatch = z
  .string()
  .optional()
  .openapi({ description: '`*` or ETags such as `"3"`, as in an If-Match header', example: '"3"' });
const ifNoneMatch = z.literal("*").optional().openapi({ description: "`*`: the entity must not exist" });
const ttl = z.number().int().min(1).max(MAX_TTL_SECONDS).optional().openapi({
  description: "Seconds to live, as ?ttl on a single write (put: none clears it; patch: none keeps it)",
});

const Put = z
  .object({ op: z.literal("put"), type, id, body: JsonDocument, ifMatch, ifNoneMatch, ttl })
  .strict()
  .openapi("TransactionPut");
const Patch = z
  .object({
    op: z.literal("patch"),
    type,
    id,
    patch: JsonDocument.openapi({ description: "A merge patch (RFC 7396), or RFC 6902 operations" }),
    patchType: z.enum(["merge", "json-patch"]).optional().openapi({ description: "Default merge" }),
    ifMatch,
    ttl,
  })
  .strict()
  .openapi("TransactionPatch");
const Delete = z
  .object({ op: z.literal("delete"), type, id, ifMatch })
  .strict()
  .openapi("TransactionDelete");
const Check = z
  .object({ op: z.literal("check"), type, id, ifMatch, ifNoneMatch })
  .strict()
  .openapi("TransactionCheck", { description: "A condition on an entity the transaction does not change" });

export const TransactionBody = z
  .object({
    operations: z
      .array(z.discriminatedUnion("op", [Put, Patch, Delete, Check]))
      .min(1)
      .max(MAX_OPERATIONS),
  })
  .strict()
  .openapi("Transaction");

const Result = z.object({
  type: z.string(),
  id: z.string(),
  version: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Written (put, patch) or seen (check); null after a delete" }),
  etag: z.string().nullable(),
});

const TransactionProblem = z
  .object({
    ...Problem.shape,
    failures: z
      .array(
        z
          .object({
            index: z.number().int(),
            code: z
              .string()
              .openapi({ description: "The failure's problem type slug, e.g. precondition-failed" }),
            detail: z.string(),
            currentVersion: z.number().int().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .openapi("TransactionProblem");

const transactionProblem = (description: string, retryAfter: "Retry-After" | "Retry-After?") => ({
  description,
  headers: replyHeaders(retryAfter),
  content: { [PROBLEM_MEDIA_TYPE]: { schema: TransactionProblem } },
});

export const runTransaction = createRoute({
  method: "post",
  path: "/v1/transactions",
  operationId: "runTransaction",
  tags: ["transactions"],
  summary: "Apply up to 100 operations on distinct entities, all or nothing",
  description:
    "Two-phase commit with a coordinator per transaction. Every operation is checked and staged; " +
    "then all are applied, or none is. A 409 names every operation that failed in `failures`.",
  ...access("write"),
  request: {
    headers: z.object({ "idempotency-key": IdempotencyKey }),
    body: { required: true, content: { "application/json": { schema: TransactionBody } } },
  },
  responses: {
    200: {
      description: "Applied: one result per operation, in order",
      content: {
        "application/json": {
          schema: z
            .object({ transaction: z.string(), results: z.array(Result) })
            .openapi("TransactionResults"),
        },
      },
    },
    409: transactionProblem(
      "transaction-canceled: a condition or a patch failed, nothing was applied (replayed under the same " +
        "Idempotency-Key); transaction-conflict: another transaction holds an entity, retry after Retry-After",
      "Retry-After?",
    ),
    503: transactionProblem(
      "A participant did not answer; nothing was applied (retry after Retry-After)",
      "Retry-After",
    ),
  },
});

export const ReadBody = z
  .object({ items: z.array(z.object({ type, id }).strict()).min(1).max(MAX_OPERATIONS) })
  .strict()
  .openapi("TransactionalRead");

export const readTransactionally = createRoute({
  method: "post",
  path: "/v1/transactions/get",
  operationId: "readTransactionally",
  tags: ["transactions"],
  summary: "Read up to 100 entities as of one point in time",
  description:
    "Never a state in which part of a transaction is visible. A missing entity has null version and body.",
  ...access("read"),
  request: { body: { required: true, content: { "application/json": { schema: ReadBody } } } },
  responses: {
    200: {
      description: "The entities in request order",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(
                z.object({
                  type: z.string(),
                  id: z.string(),
                  version: z.number().int().nullable(),
                  body: JsonDocument,
                }),
              ),
            })
            .openapi("TransactionalReadResult"),
        },
      },
    },
    409: transactionProblem(
      "transaction-conflict: writes kept moving under the read; retry after Retry-After",
      "Retry-After",
    ),
  },
});
