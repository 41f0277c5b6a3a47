// What every entity write takes from its HTTP request: preconditions and the idempotency key,
// with the fingerprint that tells a retry from a different request under the same key.
import type { Context } from "hono";
import type { TtlChange, WriteRequest } from "../../../core/entity/entity";
import { type Precondition, parseEtagList } from "../../../core/entity/preconditions";
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

export async function writeRequest(c: Context<AppEnv>, createOnly = false): Promise<WriteRequest> {
  const key = c.req.header("Idempotency-Key");
  const base = { precondition: precondition(c, { createOnly }), requestId: c.get("requestId") };
  if (key === undefined) return base;
  return { ...base, idempotency: { key, fingerprint: await fingerprint(c) } };
}

/** Same method, path, query (order-insensitive) and body bytes ⇒ the same request. */
async function fingerprint(c: Context<AppEnv>): Promise<string> {
  const url = new URL(c.req.url);
  url.searchParams.sort();
  const body = c.req.raw.body ? await c.req.text() : "";
  const material = `${c.req.method}\n${url.pathname}\n${url.searchParams}\n${c.req.header("Content-Type") ?? ""}\n${body}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const ttlChange = (ttl: string | undefined, otherwise: "clear" | "keep"): TtlChange =>
  ttl === undefined ? otherwise : { seconds: Number(ttl) };
