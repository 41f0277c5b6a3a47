// The problem responses of /openapi.json: one schema (RFC 9457, src/http/problem.ts writes it), and
// the refusals every operation of a kind can give, declared once for all of them (complete.ts).
import { z } from "@hono/zod-openapi";
import type { HeaderObject, ReferenceObject } from "openapi3-ts/oas31";
import { type HeaderSpec, replyHeaders } from "./headers";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

export const Problem = z
  .object({
    type: z
      .string()
      .openapi({ description: "`urn:edgestate:problem:<slug>`", example: "urn:edgestate:problem:not-found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().openapi({ description: "What is wrong, and what to do about it" }),
    instance: z.string().openapi({ description: "The request id (also the Request-Id header)" }),
    errors: z
      .array(
        z
          .object({
            pointer: z.string().openapi({
              description:
                "JSON Pointer to the field (`/ttl`), or to `/headers/<name>`, `/query/<name>`, `/path/<name>`",
            }),
            message: z.string(),
          })
          .strict(),
      )
      .optional()
      .openapi({ description: "One entry per invalid field" }),
  })
  .strict()
  .openapi("Problem");

export interface ProblemResponse {
  description: string;
  headers?: Record<string, HeaderObject | ReferenceObject>;
  content: { [PROBLEM_MEDIA_TYPE]: { schema: typeof Problem } };
}

/** A problem reply: what it means here, and the headers it carries beyond the standard ones. */
export const problemContent = (description: string, ...headers: HeaderSpec[]): ProblemResponse => ({
  description,
  ...(headers.length ? { headers: replyHeaders(...headers) } : {}),
  content: { [PROBLEM_MEDIA_TYPE]: { schema: Problem } },
});

/** A refusal every operation of a kind can give: a component of the document, named once. */
export interface StandardProblem {
  component: string;
  response: ProblemResponse;
}

const standard = (component: string, description: string, ...headers: HeaderSpec[]): StandardProblem => ({
  component,
  response: problemContent(description, ...headers),
});

/** Any operation: a failure of ours, and the loop guard that runs before everything else. */
export const ANY_OPERATION: Record<number, StandardProblem> = {
  500: standard(
    "InternalServerError",
    "Something failed on our side (`internal-server-error`), or a stored value cannot be opened: " +
      "its encryption key left the ring (`key-unavailable`) or it does not decrypt (`undecryptable`). " +
      "The log has the cause under the request id.",
  ),
  508: standard(
    "LoopDetected",
    "An edgestate HTTP task called the deployment that runs it",
    "Edgestate-Self-Call",
  ),
};

/** An operation behind the bearer key (every /v1 operation). */
export const AUTHENTICATED: Record<number, StandardProblem> = {
  400: standard("BadRequest", "The request is invalid: `errors` points at each invalid field"),
  401: standard("Unauthorized", "No API key, or one that is unknown or revoked", "WWW-Authenticate"),
  403: standard("Forbidden", "The key lacks this operation's scope, or belongs to another tenant"),
  429: standard("TooManyRequests", "This API key's request limit is spent", "Retry-After"),
  503: standard(
    "ServiceUnavailable",
    "The deployment is misconfigured (the detail says what), or briefly cannot answer",
  ),
};

const unsupported = (accept: "Accept" | "Accept-Patch") =>
  `The body's media type is not one this operation takes (${accept} lists them), its charset is not ` +
  "UTF-8, or its Content-Encoding is not supported (Accept-Encoding lists those)";

/** An operation that takes a body; PATCH names its media types in Accept-Patch (RFC 5789). */
export const takesBody = (patch: boolean): Record<number, StandardProblem> => ({
  413: standard(
    "ContentTooLarge",
    "The body exceeds the size limit (counted after undoing its Content-Encoding)",
  ),
  415: patch
    ? standard("UnsupportedPatchType", unsupported("Accept-Patch"), "Accept-Patch?", "Accept-Encoding?")
    : standard("UnsupportedMediaType", unsupported("Accept"), "Accept?", "Accept-Encoding?"),
});

/** An operation that honours Idempotency-Key. */
export const KEYED: Record<number, StandardProblem> = {
  422: standard("IdempotencyKeyReused", "Idempotency-Key reused with a different request"),
};

/**
 * Refused before a route runs, so never a stored reply: every other response of an operation that
 * honours Idempotency-Key may be one (Idempotent-Replayed).
 */
export const NEVER_REPLAYED = new Set(["401", "403", "415", "429", "508"]);
