import type { MiddlewareHandler } from "hono";
import { getConfig } from "../../config";
import { MAX_CURSOR_CHARS } from "../../core/indexes/cursor";
import { parseJson } from "../../core/json/parse-json";
import { MAX_PAYLOAD_BYTES } from "../../machine/engine";
import type { AppEnv } from "../app-env";
import { jsonText } from "../body/json-text";
import { isJsonMediaType, parseMediaType } from "../body/media-type";
import { readBody } from "../body/read-body";
import { badRequest } from "../problem";
import type { RouteTable } from "../route-table";

/**
 * Bodies that carry a Step Functions payload (an execution's input, a callback's output) may hold
 * the full 256 KiB AWS accepts plus their JSON envelope (`{"input": …, "name": …}`, the task
 * token), whatever MAX_BODY_BYTES says; the engine checks the payload itself
 * (States.DataLimitExceeded).
 */
const PAYLOAD_ROUTES = /^\/v1\/(machines\/[^/]+\/executions|callbacks\/(success|failure))$/;
const PAYLOAD_ENVELOPE_BYTES = 16_384;

/**
 * A transaction carries up to 100 documents, each within MAX_BODY_BYTES (checked per document,
 * with a pointer to it): the whole body may hold up to 4 MiB, as DynamoDB's transactions do.
 */
const TRANSACTION_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A query's cursor holds the last item's whole sort value, which may be as long as a document
 * (core/indexes/cursor.ts): a query body has MAX_BODY_BYTES for itself plus room for its cursor.
 */
const QUERY_ROUTE = /^\/v1\/indexes\/[^/]+\/[^/]+\/query$/;

function limitFor(method: string, path: string, maxBodyBytes: number): number {
  if (method !== "POST") return maxBodyBytes;
  if (PAYLOAD_ROUTES.test(path)) return Math.max(maxBodyBytes, MAX_PAYLOAD_BYTES + PAYLOAD_ENVELOPE_BYTES);
  if (path === "/v1/transactions") return Math.max(maxBodyBytes, TRANSACTION_BODY_BYTES);
  if (QUERY_ROUTE.test(path)) return maxBodyBytes + MAX_CURSOR_CHARS;
  return maxBodyBytes;
}

/**
 * One gate for request bodies, before any route or validator sees them: at most MAX_BODY_BYTES
 * (413, counted after undoing a Content-Encoding), and a JSON body must be UTF-8 (400, or 415 for
 * another charset) and parse under the rules of core/json (at most 64 deep, no key twice, numbers
 * a double holds as written: 400 with a pointer to each). The request the routes see carries the
 * decoded body and its media type's essence as Content-Type ("application/json ; charset=UTF-8"
 * becomes "application/json", which the OpenAPI validators match exactly), and the validators get
 * the value parsed here instead of parsing the text again.
 */
/**
 * The definition validator answers a duplicate key or an inexact number in well-formed JSON with
 * diagnostics in a 200, beside everything else wrong with the definition (a linter's answer): it
 * parses the text itself, through the same core/json parser. Text that is not JSON at all, or is
 * nested too deep, is a 400 there as everywhere.
 */
const judgesItsOwnJson = (method: string, path: string) =>
  method === "POST" && path === "/v1/definitions/validate";

export function jsonBody(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    const raw = c.req.raw;
    // Only a route that takes a body gets one read: no route matched is a 404 or 405 (declaredInput
    // refused content on a route that takes none), and Fetch forbids a body on GET and HEAD.
    if (!raw.body || !routes.of(c)?.accepts || raw.method === "GET" || raw.method === "HEAD") return next();
    const header = raw.headers.get("Content-Type");
    const type = header === null ? null : parseMediaType(header);
    if (header !== null && !type) {
      const message = "the Content-Type header is not a media type (RFC 9110 §8.3)";
      throw badRequest(message, [{ pointer: "/headers/content-type", message }]);
    }
    const bytes = await readBody(raw, limitFor(raw.method, c.req.path, getConfig(c.env).maxBodyBytes));
    const json = type !== null && isJsonMediaType(type.essence);
    const text = json ? jsonText(bytes, type) : undefined;
    // The request is rebuilt only when what the routes see differs from what arrived: a coding
    // undone, a length that was not declared, a media type with parameters.
    const declared = raw.headers.get("Content-Length");
    const same =
      !raw.headers.has("Content-Encoding") &&
      declared === String(bytes.byteLength) &&
      (!json || header === type.essence);
    if (same) {
      // Its body stream was read: routes read the bytes from Hono's cache instead.
      (c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> }).arrayBuffer = Promise.resolve(
        bytes.buffer as ArrayBuffer,
      );
    } else {
      const headers = new Headers(raw.headers);
      headers.delete("Content-Encoding");
      headers.set("Content-Length", String(bytes.byteLength));
      if (json) headers.set("Content-Type", type.essence);
      c.req.raw = new Request(raw, { headers, body: bytes });
    }
    if (text === undefined) return next();
    // Hono keeps promises in bodyCache (its type says values): text() and the validators read this.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    if (text.length > 0) {
      const parsed = parseJson(text);
      // Well-formed JSON with a duplicate key or an inexact number still reaches the validator.
      const lintable = !parsed.ok && parsed.lossy !== undefined && judgesItsOwnJson(c.req.method, c.req.path);
      if (!parsed.ok && !lintable) {
        const errors = parsed.issues.map(({ pointer, message }) => ({ pointer, message }));
        throw badRequest(parsed.message, errors.length ? errors : undefined);
      }
      const value = parsed.ok ? parsed.value : parsed.lossy;
      // Hono's json() would JSON.parse the text again; the validators get this value instead.
      c.req.json = <T>() => Promise.resolve(value as T);
    }
    await next();
  };
}
