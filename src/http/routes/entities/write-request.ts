// What every entity write takes from its HTTP request: preconditions and the idempotency key,
// with the fingerprint that tells a retry from a different request under the same key.
import type { Context } from "hono";
import type { TtlChange, WriteRequest } from "../../../core/entity/entity";
import { type Precondition, parseEtagList } from "../../../core/entity/preconditions";
import { sha256Hex } from "../../../crypto/digest";
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

/**
 * Objects never see an Idempotency-Key in clear: they get a domain-separated digest of it (stable
 * across key rotation) and a fingerprint of the request salted with the raw key, so a stored
 * fingerprint cannot confirm a guessed body without the key itself.
 */
export async function writeRequest(c: Context<AppEnv>, createOnly = false): Promise<WriteRequest> {
  const key = c.req.header("Idempotency-Key");
  const base = { precondition: precondition(c, { createOnly }), requestId: c.get("requestId") };
  if (key === undefined) return base;
  const [digest, print] = await Promise.all([
    sha256Hex(`edgestate/idempotency-key/v1\n${key}`),
    fingerprint(c, key),
  ]);
  return { ...base, idempotency: { key: digest, fingerprint: print } };
}

/** Same method, path, query (order-insensitive), content type and body bytes ⇒ the same request. */
async function fingerprint(c: Context<AppEnv>, key: string): Promise<string> {
  const url = new URL(c.req.url);
  url.searchParams.sort();
  const body = c.req.raw.body ? await c.req.text() : "";
  const type = c.req.header("Content-Type") ?? "";
  return sha256Hex(
    `edgestate/request/v1\n${key}\n${c.req.method}\n${url.pathname}\n${url.searchParams}\n${type}\n${body}`,
  );
}

export const ttlChange = (ttl: string | undefined, otherwise: "clear" | "keep"): TtlChange =>
  ttl === undefined ? otherwise : { seconds: Number(ttl) };
