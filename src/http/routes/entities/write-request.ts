// What every entity write takes from its HTTP request: preconditions and the idempotency key,
// with the fingerprint that tells a retry from a different request under the same key.
import type { Context } from "hono";
import type { TtlChange, WriteRequest } from "../../../core/entity/contract";
import { type Precondition, parseEtagList } from "../../../core/entity/preconditions";
import type { Keyed } from "../../../core/idempotency";
import { idempotencyDigests } from "../../../crypto/idempotency-digests";
import type { AppEnv } from "../../app-env";
import { badRequest } from "../../problem";

export function precondition(c: Context<AppEnv>, { createOnly }: { createOnly: boolean }): Precondition {
  const ifMatch = parseEtagList(c.req.header("If-Match"), "If-Match");
  if (!ifMatch.ok)
    throw badRequest(ifMatch.message, [{ pointer: "/headers/if-match", message: ifMatch.message }]);
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch !== undefined && (!createOnly || ifNoneMatch.trim() !== "*")) {
    const message = createOnly
      ? "If-None-Match on a write must be *"
      : "If-None-Match is only allowed on PUT (as *)";
    throw badRequest(message, [{ pointer: "/headers/if-none-match", message }]);
  }
  return {
    ...(ifMatch.value !== undefined ? { ifMatch: ifMatch.value } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch: "*" as const } : {}),
  };
}

/** A write's preconditions with its idempotency digests (core/idempotency.ts). */
export async function writeRequest(c: Context<AppEnv>, createOnly = false): Promise<WriteRequest> {
  return { precondition: precondition(c, { createOnly }), ...(await keyed(c)) };
}

/**
 * What any mutating route passes to its object for Idempotency-Key: the request id, and the key's
 * digests when the client sent one. Same method, path (however its characters are escaped), query
 * (order-insensitive), content type, preconditions and body bytes make the same request.
 */
export async function keyed(c: Context<AppEnv>): Promise<Keyed> {
  const requestId = c.get("requestId");
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return { requestId };
  const url = new URL(c.req.url);
  url.searchParams.sort();
  const body = c.req.raw.body ? await c.req.text() : "";
  const type = c.req.header("Content-Type") ?? "";
  const request = `${c.req.method}\n${canonicalPath(url.pathname)}\n${url.searchParams}\n${type}\n${body}`;
  return { requestId, idempotency: await idempotencyDigests("client", key, request + preconditionsOf(c)) };
}

/** `/doc/e%2D1` and `/doc/e-1` name one entity, so they are one request. */
function canonicalPath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      try {
        return encodeURIComponent(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join("/");
}

/**
 * A retry with another If-Match is another request (a 422), not a replay of the first one's 412.
 * Appended only when present, so a request without them keeps the fingerprint it always had.
 */
function preconditionsOf(c: Context<AppEnv>): string {
  let text = "";
  for (const name of ["If-Match", "If-None-Match"]) {
    const value = c.req.header(name);
    if (value !== undefined) text += `\n${name}: ${value}`;
  }
  return text;
}

export const ttlChange = (ttl: number | undefined, otherwise: "clear" | "keep"): TtlChange =>
  ttl === undefined ? otherwise : { seconds: ttl };
