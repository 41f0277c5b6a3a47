import type { MiddlewareHandler } from "hono";
import { hasScope } from "../../auth/principal";
import { verifyBearer } from "../../auth/verify-key";
import { getConfig } from "../../config";
import type { Scope } from "../../core/keys/contract";
import { DEFAULT_TENANT, TENANT } from "../../core/names";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";

export const TENANT_HEADER = "Edgestate-Tenant";

/**
 * Key administration needs `admin`; reads need `read`; every other method is a mutation and needs
 * `write`, except validating a definition, which is a POST only because it carries a body.
 */
export function requiredScope(method: string, path: string): Scope {
  if (path === "/v1/keys" || path.startsWith("/v1/keys/") || path.startsWith("/v1/admin/")) return "admin";
  if (path === "/v1/definitions/validate") return "read";
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

const unauthorized = (detail: string) =>
  problem(401, "Unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="edgestate"' } });

/**
 * Resolves who is calling and which tenant they act on. The root key may act on any tenant named
 * in Edgestate-Tenant; a tenant key only on its own, and a header naming another tenant is refused
 * rather than ignored.
 */
export function auth(): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    const config = getConfig(c.env);
    if (config.problems.length) {
      // The reply says what is wrong; the log must too, or an operator sees only a wall of 503s.
      console.error(
        JSON.stringify({ requestId: c.get("requestId"), event: "misconfigured", problems: config.problems }),
      );
      throw problem(503, "Service Unavailable", `edgestate is misconfigured: ${config.problems.join("; ")}`);
    }
    // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer too.
    const match = /^bearer +([\x21-\x7e]+) *$/i.exec(c.req.header("Authorization") ?? "");
    if (!match) throw unauthorized("send Authorization: Bearer <API key>");
    const principal = await verifyBearer(c.env, config, match[1]!);
    if (!principal) throw unauthorized("the API key is unknown or revoked");

    const requested = c.req.header(TENANT_HEADER);
    if (requested !== undefined && !TENANT.test(requested)) {
      throw problem(400, "Bad Request", `${TENANT_HEADER} must match ${TENANT.source}`, {
        errors: [{ pointer: `/headers/${TENANT_HEADER.toLowerCase()}`, message: "invalid tenant name" }],
      });
    }
    let tenant: string;
    if (principal.kind === "admin") tenant = requested ?? DEFAULT_TENANT;
    else if (requested !== undefined && requested !== principal.tenant) {
      throw problem(403, "Forbidden", `this key belongs to tenant "${principal.tenant}", not "${requested}"`);
    } else tenant = principal.tenant;

    const scope = requiredScope(c.req.method, c.req.path);
    if (!hasScope(principal, scope)) throw problem(403, "Forbidden", `this key lacks the "${scope}" scope`);

    c.set("principal", principal);
    c.set("tenant", tenant);
    await next();
  };
}
