import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConfig } from "../../config";
import { parseJson } from "../../core/json/parse-json";
import { MAX_PAYLOAD_BYTES } from "../../machine/engine";
import type { AppEnv } from "../app-env";
import { badRequest, problem } from "../problem";

const JSON_TYPE = /^application\/([a-z0-9.-]+\+)?json\s*(;|$)/i;

/**
 * Bodies that carry a Step Functions payload (an execution's input, a callback's output) may hold
 * the full 256 KiB AWS accepts plus their JSON envelope (`{"input": …, "name": …}`, the task
 * token), whatever MAX_BODY_BYTES says; the engine checks the payload itself
 * (States.DataLimitExceeded).
 */
const PAYLOAD_ROUTES = /^\/v1\/(machines\/[^/]+\/executions|callbacks\/(success|failure))$/;
const PAYLOAD_ENVELOPE_BYTES = 16_384;

const limitFor = (method: string, path: string, maxBodyBytes: number): number =>
  method === "POST" && PAYLOAD_ROUTES.test(path)
    ? Math.max(maxBodyBytes, MAX_PAYLOAD_BYTES + PAYLOAD_ENVELOPE_BYTES)
    : maxBodyBytes;

/**
 * One gate for request bodies: at most MAX_BODY_BYTES (413), and JSON bodies must parse and nest
 * at most 64 deep (400) before any route or validator sees them. The parsed value is left in
 * Hono's body cache so validators do not parse it again.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    const maxSize = limitFor(c.req.method, c.req.path, getConfig(c.env).maxBodyBytes);
    const limit = bodyLimit({
      maxSize,
      onError: () => {
        throw problem(413, "Content Too Large", `the request body exceeds ${maxSize} bytes`);
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
