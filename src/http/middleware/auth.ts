import type { MiddlewareHandler } from "hono";
import { hasScope } from "../../auth/principal";
import { verifyBearer } from "../../auth/verify-key";
import { getConfig } from "../../config";
import { DEFAULT_TENANT, TENANT } from "../../core/names";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";
import type { RouteTable } from "../route-table";

export const TENANT_HEADER = "Edgestate-Tenant";

const unauthorized = (detail: string) =>
  problem("unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="edgestate"' } });

/**
 * Resolves who is calling and which tenant they act on. The root key may act on any tenant named
 * in Edgestate-Tenant; a tenant key only on its own, and a header naming another tenant is refused
 * rather than ignored.
 */
export function auth(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    const config = getConfig(c.env);
    if (config.problems.length) {
      // The reply says what is wrong; the log must too, or an operator sees only a wall of 503s.
      console.error(
        JSON.stringify({ requestId: c.get("requestId"), event: "misconfigured", problems: config.problems }),
      );
      throw problem("unavailable", `edgestate is misconfigured: ${config.problems.join("; ")}`);
    }
    // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer too.
    const match = /^bearer +([\x21-\x7e]+) *$/i.exec(c.req.header("Authorization") ?? "");
    if (!match) throw unauthorized("send Authorization: Bearer <API key>");
    const principal = await verifyBearer(c.env, config, match[1]!);
    if (!principal) throw unauthorized("the API key is unknown or revoked");

    const requested = c.req.header(TENANT_HEADER);
    if (requested !== undefined && !TENANT.test(requested)) {
      throw problem("invalid", `${TENANT_HEADER} must match ${TENANT.source}`, {
        errors: [{ pointer: `/headers/${TENANT_HEADER.toLowerCase()}`, message: "invalid tenant name" }],
      });
    }
    let tenant: string;
    if (principal.kind === "admin") tenant = requested ?? DEFAULT_TENANT;
    else if (requested !== undefined && requested !== principal.tenant) {
      throw problem("forbidden", `this key belongs to tenant "${principal.tenant}", not "${requested}"`);
    } else tenant = principal.tenant;

    // The scope the matched route declared (a request no route matches gets its 404 or 405).
    const scope = routes.of(c)?.scope;
    if ((scope === "read" || scope === "write" || scope === "admin") && !hasScope(principal, scope))
      throw problem("forbidden", `this key lacks the "${scope}" scope`);

    c.set("principal", principal);
    c.set("tenant", tenant);
    await next();
  };
}
