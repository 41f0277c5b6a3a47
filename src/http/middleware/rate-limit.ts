import type { MiddlewareHandler } from "hono";
import type { Principal } from "../../auth/principal";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";
import { problem } from "../problem";

/** The counter a principal spends: one per API key (its id is public, in the key), one for the root key. */
export const rateLimitKey = (principal: Principal): string =>
  principal.kind === "admin" ? "admin" : `key:${principal.id}`;

/**
 * Per-API-key request limits with the Workers rate-limiting binding ([[ratelimits]] in
 * wrangler.toml). Mounted after auth, so it counts by who is calling, and before the body is
 * read, so a throttled client costs no parsing and never reaches a Durable Object.
 *
 * Why the binding and not an object or KV: its counters live in the Cloudflare location that
 * serves the request and are kept off any shared path, so one busy key cannot cap the deployment
 * (a counter object per key would put an object round trip on every request; KV allows one
 * write per second per key). The price is that counts are per location and approximate; the
 * limit is abuse protection, not billing.
 *
 * If the binding itself fails, the request goes through and the failure is logged: refusing all
 * traffic because a limiter is briefly unavailable would turn a protection into an outage.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const principal = c.get("principal");
    if (!principal) return next();
    let allowed = true;
    try {
      allowed = (await c.env.RATE_LIMITER.limit({ key: rateLimitKey(principal) })).success;
    } catch (e) {
      console.error(
        JSON.stringify({ requestId: c.get("requestId"), event: "rate_limiter_failed", cause: String(e) }),
      );
    }
    if (!allowed) {
      const period = getConfig(c.env).rateLimitPeriodSeconds;
      throw problem("rate_limited", `this API key's request limit is spent; retry in ${period} s`, {
        headers: { "Retry-After": String(period) },
      });
    }
    await next();
  };
}
