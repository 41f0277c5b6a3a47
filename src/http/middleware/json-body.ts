import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConfig } from "../../config";
import { parseJson } from "../../core/json/parse-json";
import type { AppEnv } from "../app-env";
import { badRequest, problem } from "../problem";

const JSON_TYPE = /^application\/([a-z0-9.-]+\+)?json\s*(;|$)/i;

/**
 * One gate for request bodies: at most MAX_BODY_BYTES (413), and JSON bodies must parse and nest
 * at most 64 deep (400) before any route or validator sees them. The parsed value is left in
 * Hono's body cache so validators do not parse it again.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    const { maxBodyBytes } = getConfig(c.env);
    const limit = bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw problem(413, "Content Too Large", `the request body exceeds ${maxBodyBytes} bytes`);
      },
    });
    return limit(c, async () => {
      const type = c.req.header("Content-Type");
      if (type && JSON_TYPE.test(type) && c.req.raw.body) {
        const text = await c.req.text();
        if (text.length > 0) {
          const parsed = parseJson(text);
          if (!parsed.ok) throw badRequest(parsed.message);
          c.req.bodyCache.json = parsed.value;
        }
      }
      await next();
    });
  };
}
