import type { Context, MiddlewareHandler } from "hono";
import { hasScope, type Principal } from "../../auth/principal";
import { redeemTicket } from "../../auth/redeem-ticket";
import { verifyBearer } from "../../auth/verify-key";
import { type Config, getConfig } from "../../config";
import { DEFAULT_TENANT, TENANT } from "../../core/names";
import type { AppEnv } from "../app-env";
import { fromFailure, problem } from "../problem";
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
    // The route the request matched (none: a 404 or 405 follows, once the key is accepted).
    const route = routes.of(c);
    const ticket = route?.ticket ? c.req.query("ticket") : undefined;
    const requested = c.req.header(TENANT_HEADER);
    const held = ticket === undefined ? await bearer(c, config) : await ticketHolder(c, ticket);
    if (requested !== undefined && !TENANT.test(requested)) {
      throw problem("invalid", `${TENANT_HEADER} must match ${TENANT.source}`, {
        errors: [{ pointer: `/headers/${TENANT_HEADER.toLowerCase()}`, message: "invalid tenant name" }],
      });
    }
    const principal = held.principal;
    let tenant: string;
    if (held.tenant !== undefined) {
      // A ticket was issued for one tenant: a header naming another is refused, not ignored.
      if (requested !== undefined && requested !== held.tenant)
        throw problem("forbidden", `this ticket was issued for tenant "${held.tenant}", not "${requested}"`);
      tenant = held.tenant;
    } else if (principal.kind === "admin") tenant = requested ?? DEFAULT_TENANT;
    else if (requested !== undefined && requested !== principal.tenant) {
      throw problem("forbidden", `this key belongs to tenant "${principal.tenant}", not "${requested}"`);
    } else tenant = principal.tenant;

    const scope = route?.scope;
    if ((scope === "read" || scope === "write" || scope === "admin") && !hasScope(principal, scope))
      throw problem("forbidden", `this key lacks the "${scope}" scope`);

    c.set("principal", principal);
    c.set("tenant", tenant);
    await next();
  };
}

async function bearer(
  c: Context<AppEnv>,
  config: Config,
): Promise<{ principal: Principal; tenant?: string }> {
  // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer too.
  const match = /^bearer +([\x21-\x7e]+) *$/i.exec(c.req.header("Authorization") ?? "");
  if (!match) throw unauthorized("send Authorization: Bearer <API key>");
  const principal = await verifyBearer(c.env, config, match[1]!);
  if (!principal) throw unauthorized("the API key is unknown or revoked");
  return { principal };
}

/**
 * A single-use ticket (redeem-ticket.ts) stands in for the key that issued it, read-only, on the
 * one watch and tenant it was issued for.
 */
async function ticketHolder(
  c: Context<AppEnv>,
  ticket: string,
): Promise<{ principal: Principal; tenant: string }> {
  // Spent by its first presentation, allowed or not: this one too.
  const redeemed = await redeemTicket(c.env, ticket, c.req.path);
  if (c.req.header("Authorization") !== undefined)
    throw problem("invalid", "send either Authorization or ?ticket=, not both");
  if (!redeemed.ok) {
    if (redeemed.code === "unauthorized") throw unauthorized(redeemed.detail);
    throw fromFailure(redeemed);
  }
  return redeemed.value;
}
