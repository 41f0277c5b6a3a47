import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { getConfig } from "../../config";
import type { AppEnv } from "../app-env";

/**
 * HSTS, nosniff, Referrer-Policy and frame denial on every reply; a strict CSP (pages add their
 * own nonce-free policy: they ship no inline script). CORS is off unless CORS_ORIGINS names origins.
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    strictTransportSecurity: "max-age=63072000; includeSubDomains",
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    xContentTypeOptions: "nosniff",
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  });
  return async function securityHeaders(c, next) {
    const origins = getConfig(c.env).corsOrigins;
    if (origins.length === 0) return headers(c, next);
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
    return headers(c, async () => {
      // A preflight is answered by cors() itself (it returns a 204 and never calls next), so its
      // Response must become the context's reply, or Hono finds no response and answers 500.
      const preflight = await withCors(c, next);
      if (preflight) c.res = preflight;
    });
  };
}
