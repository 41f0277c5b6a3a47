import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";

/**
 * HSTS, nosniff, Referrer-Policy and frame denial on every reply; a strict CSP (pages add their
 * own nonce-free policy: they ship no inline script). CORS is off unless CORS_ORIGINS names origins.
 *
 * The headers are the ones Hono's secureHeaders() sends with these options, written out once.
 * They are set before the route runs, so the reply is built with them in one go; a Response the
 * route did not build through the context (a pass-through) gets them afterwards, overwriting.
 */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "DENY"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
  [
    "Content-Security-Policy",
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  ],
];
const MARKER = "X-Content-Type-Options";

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const secure: MiddlewareHandler<AppEnv> = async function secure(c, next) {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    await next();
    if (c.res.headers.has(MARKER)) return;
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
    c.res.headers.delete("X-Powered-By");
  };
  return async function securityHeaders(c, next) {
    const origins = getConfig(c.env).corsOrigins;
    if (origins.length === 0) return secure(c, next);
    const withCors = cors({
      origin: origins,
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "If-Match",
        "If-None-Match",
        "Idempotency-Key",
        "Edgestate-Tenant",
      ],
      exposeHeaders: [
        "ETag",
        "Last-Modified",
        "Edgestate-Version",
        "Edgestate-Expires",
        "Edgestate-Cache",
        "Edgestate-Held-By",
        "Request-Id",
        "Idempotent-Replayed",
        "Retry-After",
      ],
      maxAge: 600,
    });
    return secure(c, async () => {
      // A preflight is answered by cors() itself (it returns a 204 and never calls next), so its
      // Response must become the context's reply, or Hono finds no response and answers 500.
      const preflight = await withCors(c, next);
      if (preflight) c.res = preflight;
    });
  };
}
