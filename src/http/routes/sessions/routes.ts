// The session API's contract: validated by these schemas and published in /openapi.json.
import { createRoute, z } from "@hono/zod-openapi";
import { isJsonObject } from "../../../core/json/json-value";
import { SUBJECT } from "../../../core/names";
import { MAX_ABSOLUTE_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from "../../../core/session/expiry";
import { replyHeaders } from "../../contract/headers";
import { access, IdempotencyKey, problemContent } from "../../schemas/common";
import { watchRoute } from "../../watch/watch-route";

const subjectName = z
  .string()
  .regex(SUBJECT, `must match ${SUBJECT.source}`)
  .refine((s) => s !== "." && s !== "..", "must not be . or ..");

const JsonObject = z
  .unknown()
  .refine(isJsonObject, "must be a JSON object")
  .openapi({ type: "object", additionalProperties: true, description: "Any JSON object" });

const CreateSession = z
  .object({
    subject: subjectName
      .optional()
      .openapi({ description: "Whose session it is; indexes it", example: "user-123" }),
    data: JsonObject.optional(),
    ttl: z
      .number()
      .int()
      .min(MIN_TTL_SECONDS)
      .max(MAX_TTL_SECONDS)
      .optional()
      .openapi({ description: "Idle lifetime in seconds (default 3600)" }),
    sliding: z
      .boolean()
      .optional()
      .openapi({ description: "Reads and writes extend expiresAt (default true)" }),
    absoluteTtl: z
      .number()
      .int()
      .min(MIN_TTL_SECONDS)
      .max(MAX_ABSOLUTE_TTL_SECONDS)
      .optional()
      .openapi({ description: "Total lifetime cap in seconds, ≥ ttl (default 2592000)" }),
  })
  .strict()
  .openapi("CreateSession");

const at = z.string().openapi({ format: "date-time" });
const Session = z
  .object({
    id: z.string(),
    subject: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).openapi({ description: "The session's data: any JSON object" }),
    version: z.number().int(),
    createdAt: at,
    expiresAt: at,
    absoluteExpiresAt: at,
  })
  .strict()
  .openapi("Session");

/** Every reply that carries a session: its version and expiry, and never cacheable. */
const SESSION_HEADERS = ["ETag", "Edgestate-Version", "Edgestate-Expires", "Cache-Control"] as const;
const session = (description: string, ...extra: Parameters<typeof replyHeaders>) => ({
  description,
  headers: replyHeaders(...SESSION_HEADERS, ...extra),
  content: { "application/json": { schema: Session } },
});

/** Any string: a malformed id is just an unknown session, the same 404 as every other. */
const idParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "ses_…" }),
});
const subjectParam = z.object({
  subject: subjectName.openapi({ param: { name: "subject", in: "path" }, example: "user-123" }),
});
const writeHeaders = z.object({
  "if-match": z.string().optional().openapi({ description: 'An ETag such as `"3"`, or `*`' }),
  "idempotency-key": IdempotencyKey,
});
const gone = problemContent("No such session: unknown, expired and revoked all look the same");

export const createSession = createRoute({
  operationId: "createSession",
  method: "post",
  path: "/v1/sessions",
  tags: ["sessions"],
  summary: "Start a session",
  ...access("write"),
  request: {
    headers: z.object({ "idempotency-key": IdempotencyKey }),
    body: { required: false, content: { "application/json": { schema: CreateSession } } },
  },
  responses: {
    201: session("The new session", "Location"),
    404: problemContent("A replayed create whose session has ended since"),
    422: problemContent("Idempotency-Key reused with a different request, or already spent"),
  },
});

export const getSession = createRoute({
  operationId: "getSession",
  method: "get",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "Read a session (always from its object; slides its expiry)",
  ...access("read"),
  request: {
    params: idParam,
    headers: z.object({
      "if-none-match": z
        .string()
        .optional()
        .openapi({ description: 'ETags such as `"3"` (weak comparison), or `*`: a match answers 304' }),
    }),
  },
  responses: {
    200: session("The session"),
    304: {
      description: "If-None-Match matched: the version headers, no body",
      headers: replyHeaders(...SESSION_HEADERS),
    },
    404: gone,
  },
});

export const patchSession = createRoute({
  operationId: "patchSession",
  method: "patch",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "Change a session's data with a merge patch (RFC 7396)",
  ...access("write"),
  request: {
    params: idParam,
    headers: writeHeaders,
    body: { required: true, content: { "application/merge-patch+json": { schema: JsonObject } } },
  },
  responses: {
    200: session("The patched session"),
    404: gone,
    412: problemContent("If-Match does not match; ETag carries the current version", "ETag?"),
    413: problemContent("The body, or the patched data, would be too large"),
  },
});

export const deleteSession = createRoute({
  operationId: "deleteSession",
  method: "delete",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "Revoke a session: refused everywhere from this reply on",
  ...access("write"),
  request: { params: idParam, headers: writeHeaders },
  responses: {
    204: { description: "Revoked" },
    404: gone,
    412: problemContent("If-Match does not match; ETag carries the current version", "ETag?"),
  },
});

export const listSubjectSessions = createRoute({
  operationId: "listSubjectSessions",
  method: "get",
  path: "/v1/subjects/{subject}/sessions",
  tags: ["sessions"],
  summary: "A subject's live sessions, oldest first",
  ...access("read"),
  request: { params: subjectParam },
  responses: {
    200: {
      description: "Live sessions",
      headers: replyHeaders("Cache-Control"),
      content: {
        "application/json": {
          schema: z
            .object({ items: z.array(z.object({ id: z.string(), createdAt: at, expiresAt: at }).strict()) })
            .strict(),
        },
      },
    },
  },
});

export const revokeSubjectSessions = createRoute({
  operationId: "revokeSubjectSessions",
  method: "delete",
  path: "/v1/subjects/{subject}/sessions",
  tags: ["sessions"],
  summary: "Log out everywhere: revoke every session of a subject before replying",
  ...access("write"),
  request: { params: subjectParam, headers: z.object({ "idempotency-key": IdempotencyKey }) },
  responses: {
    200: {
      description: "How many live sessions were revoked",
      headers: replyHeaders("Cache-Control"),
      content: { "application/json": { schema: z.object({ revoked: z.number().int() }).strict() } },
    },
    503: problemContent("Some sessions could not be revoked yet: repeat the request"),
  },
});

export const watchSession = watchRoute({
  operationId: "watchSession",
  path: "/v1/sessions/{id}/watch",
  tags: ["sessions"],
  summary: "Watch a session: its data as it changes, then revoked or expired",
  description:
    'First `{"type":"data","version","data"}` (with `since`: only if the version moved on, after ' +
    '`{"type":"gap","oldest"}` when it moved on by more than one); then each change of `data`, and ' +
    '`{"type":"revoked"}` or `{"type":"expired"}` just before the watch ends (close code 1000). ' +
    "Watching does not extend the session. An ended or unknown session is a 404, as for a read.",
  params: idParam,
  seq: "version",
});
