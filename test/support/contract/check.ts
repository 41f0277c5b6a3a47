// One exchange (a request and the Worker's reply) held against /openapi.json: the status must be
// declared for the operation, every header sent must be declared (and match its schema, and every
// required one be there), and the body must be in a declared media type and match its schema.
// For a reply that is not a refusal, the request must also have used only declared query
// parameters and body media types, and (`strict`, for requests written to the document, as the
// replay cases are) only declared API headers: a header an operation ignores proves nothing in a
// test that sends random ones.
import { type Schema, validate } from "@cfworker/json-schema";
import type { ContractDocument, HeaderObject, Operation, ResponseObject } from "./document";

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  /** Whether the request had content (a non-empty body). */
  requestBody: boolean;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * On every reply and named once in the document's description instead of under each response:
 * the security headers (and CORS's, when configured). Framing headers are not part of a contract.
 */
export const DOCUMENT_WIDE_HEADERS = [
  "Strict-Transport-Security",
  "Content-Security-Policy",
  "X-Content-Type-Options",
  "X-Frame-Options",
  "Referrer-Policy",
  "Cross-Origin-Opener-Policy",
  "Cross-Origin-Resource-Policy",
  "Origin-Agent-Cluster",
  "X-DNS-Prefetch-Control",
  "X-Download-Options",
  "X-Permitted-Cross-Domain-Policies",
  "X-XSS-Protection",
];
const FRAMING = new Set(["content-type", "content-length", "transfer-encoding", "vary"]);
const IGNORED = new Set([...FRAMING, ...DOCUMENT_WIDE_HEADERS.map((h) => h.toLowerCase())]);
/** Request headers that are part of the API (the rest are transport: Authorization is the scheme). */
const API_REQUEST_HEADERS = ["if-match", "if-none-match", "idempotency-key", "edgestate-tenant"];

const essence = (type: string | null) => (type ?? "").split(";")[0]!.trim().toLowerCase();
/** application/json, the `+json` types, and AWS's `application/x-amz-json-1.0`. */
const isJson = (type: string) => /^application\/([^/]+\+)?json$|^application\/x-amz-json-/.test(type);

export interface Verdict {
  operation: Operation | undefined;
  violations: string[];
}

export function checkExchange(contract: ContractDocument, exchange: Exchange, strict = false): Verdict {
  const violations: string[] = [];
  const { pathname, searchParams } = new URL(exchange.url);
  const template = contract.template(pathname);
  const operation = template ? contract.operation(exchange.method, template) : undefined;
  if (!operation) {
    checkOutside(contract, exchange, template, pathname, violations);
    return { operation, violations };
  }
  const declared = operation.object.responses[String(exchange.status)];
  if (!declared) {
    violations.push(`status ${exchange.status} is not declared`);
    return { operation, violations };
  }
  const response = contract.resolve(declared);
  checkHeaders(contract, response, exchange, violations);
  checkBody(contract, response, exchange, violations);
  if (exchange.status < 400) checkRequest(contract, operation, exchange, searchParams, strict, violations);
  return { operation, violations };
}

function checkHeaders(
  contract: ContractDocument,
  response: ResponseObject,
  exchange: Exchange,
  out: string[],
) {
  const declared = new Map<string, HeaderObject>();
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    declared.set(name.toLowerCase(), contract.resolve(header));
  }
  for (const [name, header] of declared) {
    const value = exchange.headers.get(name);
    if (value === null) {
      if (header.required) out.push(`required header ${name} is missing`);
      continue;
    }
    const typed = header.schema.type === "integer" && /^-?\d+$/.test(value) ? Number(value) : value;
    for (const error of schemaErrors(contract, typed, header.schema)) out.push(`header ${name}: ${error}`);
  }
  for (const [name] of exchange.headers) {
    if (!declared.has(name) && !IGNORED.has(name) && !name.startsWith("access-control-")) {
      out.push(`header ${name} is sent but not declared`);
    }
  }
}

function checkBody(contract: ContractDocument, response: ResponseObject, exchange: Exchange, out: string[]) {
  const content = response.content;
  if (!content || exchange.method === "HEAD") {
    if (exchange.body !== "") out.push(`a body is sent where none is declared`);
    return;
  }
  const type = essence(exchange.headers.get("Content-Type"));
  const media = content[type];
  if (!media) {
    out.push(`Content-Type ${type || "(none)"} is not one of ${Object.keys(content).join(", ")}`);
    return;
  }
  let value: unknown = exchange.body;
  if (isJson(type)) {
    try {
      value = JSON.parse(exchange.body);
    } catch {
      out.push(`the ${type} body is not JSON`);
      return;
    }
  }
  for (const error of schemaErrors(contract, value, media.schema)) out.push(`body: ${error}`);
}

function checkRequest(
  contract: ContractDocument,
  operation: Operation,
  exchange: Exchange,
  query: URLSearchParams,
  strict: boolean,
  out: string[],
) {
  const parameters = contract.parameters(operation);
  const named = (place: string) =>
    new Set(parameters.filter((p) => p.in === place).map((p) => p.name.toLowerCase()));
  const queries = named("query");
  for (const name of new Set(query.keys())) {
    if (!queries.has(name.toLowerCase())) out.push(`query parameter ${name} is not declared`);
  }
  const headers = named("header");
  for (const name of strict ? API_REQUEST_HEADERS : []) {
    if (exchange.requestHeaders.has(name) && !headers.has(name))
      out.push(`request header ${name} is not declared`);
  }
  if (!exchange.requestBody) return;
  const type = essence(exchange.requestHeaders.get("Content-Type"));
  const body = operation.object.requestBody;
  if (!body) out.push("a body is sent where none is declared");
  else if (!body.content[type]) out.push(`request body type ${type || "(none)"} is not declared`);
}

function schemaErrors(contract: ContractDocument, value: unknown, schema: Schema): string[] {
  const result = validate(value, schema, "2020-12", contract.lookup, false);
  if (result.valid) return [];
  // The deepest errors say what is wrong; the rest repeat them at each enclosing level.
  const errors = result.errors.filter(
    (e) => !result.errors.some((o) => o !== e && o.instanceLocation.startsWith(`${e.instanceLocation}/`)),
  );
  return errors.slice(0, 5).map((e) => `${e.instanceLocation} ${e.error}`);
}

/** The refusals of the /v1 gate (key, tenant, rate limit, configuration), which come before a 404 or 405. */
const GATE: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  429: "TooManyRequests",
  503: "ServiceUnavailable",
};

/**
 * A request outside every operation: the document-wide 404 (no such path) or 405 (no such method,
 * with Allow) its description names; under /v1, the gate's refusals come first.
 */
function checkOutside(
  contract: ContractDocument,
  exchange: Exchange,
  template: string | undefined,
  pathname: string,
  out: string[],
) {
  const gate = pathname.startsWith("/v1/") ? GATE[exchange.status] : undefined;
  if (gate) {
    const response = contract.resolve<ResponseObject>({ $ref: `#/components/responses/${gate}` });
    checkHeaders(contract, response, exchange, out);
    checkBody(contract, response, exchange, out);
    return;
  }
  const expected = template ? 405 : 404;
  if (exchange.status !== expected) out.push(`no operation, so ${expected} expected`);
  if (template) {
    const methods = contract.methodsOf(template).map((m) => m.toUpperCase());
    if (methods.includes("GET")) methods.push("HEAD");
    if (exchange.headers.get("Allow") !== methods.sort().join(", ")) {
      out.push(`Allow is ${exchange.headers.get("Allow")}, the document lists ${methods.join(", ")}`);
    }
  }
  const problem = documentWideProblem(contract, template !== undefined);
  checkHeaders(contract, problem, exchange, out);
  checkBody(contract, problem, exchange, out);
}

/** The document-wide 404 and 405 its description names: a problem, with Allow on a 405. */
function documentWideProblem(contract: ContractDocument, allow: boolean): ResponseObject {
  const text = { required: true, schema: { type: "string" } } as const;
  return {
    description: "a document-wide problem",
    headers: { "Request-Id": text, ...(allow ? { Allow: text } : {}) },
    content: { "application/problem+json": { schema: contract.doc.components.schemas!.Problem as Schema } },
  };
}
