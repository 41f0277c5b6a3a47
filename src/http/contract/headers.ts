// Every response header the API sends, declared once: routes name the ones a reply carries
// (`replyHeaders("ETag", "Edgestate-Expires?")`) and /openapi.json publishes each with its schema.
// The contract test checks every reply against these, so a header sent but not declared fails it.
import type { HeaderObject, ReferenceObject } from "openapi3-ts/oas31";
import { SELF_CALL_HEADER } from "../../executions/self-call";

const ENTITY_TAG = '^"(0|[1-9][0-9]*)"$';

export const RESPONSE_HEADERS = {
  "Request-Id": {
    description:
      "This request's id: the problem's `instance` and the key of its log lines. Quote it when reporting.",
    schema: { type: "string", format: "uuid" },
  },
  ETag: {
    description: 'The version as a strong entity tag (`"3"`); send it back in If-Match or If-None-Match.',
    schema: { type: "string", pattern: ENTITY_TAG },
  },
  "Last-Modified": {
    description: "When this version was written (HTTP-date).",
    schema: { type: "string" },
  },
  "Edgestate-Version": {
    description: "The version as an integer: the ETag without its quotes.",
    schema: { type: "integer", minimum: 0 },
  },
  "Edgestate-Expires": {
    description: "When it expires (ISO 8601, UTC); absent when it never does.",
    schema: { type: "string", format: "date-time" },
  },
  "Edgestate-Cache": {
    description:
      "Where an eventual read was served from: `hit` (the KV copy), `miss` or `bypass` (the object).",
    schema: { type: "string", enum: ["hit", "miss", "bypass"] },
  },
  "Edgestate-Held-By": {
    description:
      "The transaction holding the entity until it is decided; the reply shows the last committed version.",
    schema: { type: "string" },
  },
  Location: {
    description: "The path of what was created.",
    schema: { type: "string", format: "uri-reference" },
  },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored reply of an earlier request with the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  },
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    schema: { type: "integer", minimum: 0 },
  },
  "WWW-Authenticate": {
    description: "The authentication scheme to use: `Bearer`.",
    schema: { type: "string" },
  },
  "Accept-Patch": {
    description: "The patch media types this resource takes (RFC 5789).",
    schema: { type: "string" },
  },
  Accept: {
    description: "The media types this operation takes as its body (RFC 9110 §15.5.16).",
    schema: { type: "string" },
  },
  "Accept-Encoding": {
    description: "The content codings a request body may use.",
    schema: { type: "string" },
  },
  "Cache-Control": {
    description: "`no-store`: the reply belongs to one user and no shared cache may keep it.",
    schema: { type: "string", enum: ["no-store"] },
  },
  "X-Accel-Buffering": {
    description: "`no`: a proxy must pass the event stream on as it comes, not buffer it.",
    schema: { type: "string", enum: ["no"] },
  },
  "x-amzn-RequestId": {
    description: "The request id where the AWS SDKs read it (their `$metadata.requestId`).",
    schema: { type: "string", format: "uuid" },
  },
  "x-amzn-ErrorType": {
    description: "The AWS error's name, as in the body's `__type`.",
    schema: { type: "string" },
  },
  Date: {
    description: "When the reply was made (HTTP-date); the AWS SDKs correct a skewed clock from it.",
    schema: { type: "string" },
  },
  [SELF_CALL_HEADER]: {
    description: "`refused`: an edgestate HTTP task called the deployment that runs it.",
    schema: { type: "string", enum: ["refused"] },
  },
} as const satisfies Record<string, HeaderObject>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;
/** A header a reply always carries, or (with a trailing `?`) one it may carry. */
export type HeaderSpec = ResponseHeader | `${ResponseHeader}?`;

/**
 * Headers declared the same way wherever they appear (Request-Id on every reply, Idempotent-Replayed
 * on any reply that can be a stored one): published once under components.headers (complete.ts).
 */
export const SHARED_HEADERS: Partial<Record<ResponseHeader, HeaderSpec>> = {
  "Request-Id": "Request-Id",
  "Idempotent-Replayed": "Idempotent-Replayed?",
};

/**
 * A reply that belongs to one caller (session data) or shows a secret once (an issued key, a
 * ticket): no cache, shared or private, may keep it.
 */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** The headers object of a response: each named header with its declaration, required unless `?`. */
export function replyHeaders(...specs: HeaderSpec[]): Record<string, HeaderObject | ReferenceObject> {
  const headers: Record<string, HeaderObject | ReferenceObject> = {};
  for (const spec of specs) {
    const optional = spec.endsWith("?");
    const name = (optional ? spec.slice(0, -1) : spec) as ResponseHeader;
    headers[name] =
      SHARED_HEADERS[name] === spec
        ? { $ref: `#/components/headers/${name}` }
        : { ...RESPONSE_HEADERS[name], required: !optional };
  }
  return headers;
}

/** A shared header's declaration, as components.headers publishes it. */
export const sharedHeader = (name: ResponseHeader): HeaderObject => ({
  ...RESPONSE_HEADERS[name],
  required: SHARED_HEADERS[name] === name,
});

/** What a versioned document's reply carries (entities and sessions). */
export const VERSION_HEADERS = ["ETag", "Edgestate-Version", "Edgestate-Expires?"] as const;
