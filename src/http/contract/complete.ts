// Completes each operation of the registry with what its kind implies, once all routes are
// registered: a route declares only what is its own (its statuses, headers and bodies), and the
// contract adds the refusals and headers every operation of its kind has, so 40 routes cannot
// disagree about them. Kinds: every operation (500, 508, Request-Id on every reply); behind the
// bearer key (/v1: 400, 401, 403, 429, 503, Edgestate-Tenant); with a body (413, 415); honouring
// Idempotency-Key (422, Idempotent-Replayed on every reply that can be a stored one).
import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { ParameterObject } from "openapi3-ts/oas31";
import { TENANT } from "../../core/names";
import type { AppEnv } from "../app-env";
import { TENANT_HEADER } from "../middleware/auth";
import { shapeOf } from "../route-table";
import { IdempotencyKey } from "../schemas/common";
import { type ResponseHeader, replyHeaders, sharedHeader } from "./headers";
import {
  ANY_OPERATION,
  AUTHENTICATED,
  KEYED,
  NEVER_REPLAYED,
  PROBLEM_MEDIA_TYPE,
  Problem,
  type StandardProblem,
  takesBody,
} from "./problems";

const TENANT_PARAMETER: ParameterObject = {
  name: TENANT_HEADER,
  in: "header",
  required: false,
  description:
    "The tenant to act on: the root key may name any; a tenant key only its own (another is a 403). " +
    "Default: the key's tenant (`default` for the root key).",
  schema: { type: "string", pattern: TENANT.source },
};

interface Kind {
  /**
   * A route that answers its refusals in its own protocol's format (the AWS endpoint's JSON
   * errors) gets none of the standard problems: only what every request can meet before it runs.
   */
  ownErrors: boolean;
  authenticated: boolean;
  body: boolean;
  keyed: boolean;
  patch: boolean;
}

export function kindOf(route: RouteConfig): Kind {
  const shape = shapeOf(route.request?.headers);
  const ownErrors = Object.entries(route.responses).some(
    ([status, r]) =>
      Number(status) >= 400 && "content" in r && r.content && !(PROBLEM_MEDIA_TYPE in r.content),
  );
  return {
    ownErrors,
    authenticated: route.path.startsWith("/v1/"),
    body: route.request?.body !== undefined,
    keyed: shape["idempotency-key"] === IdempotencyKey,
    patch: route.method === "patch",
  };
}

type Declared = RouteConfig["responses"][string];
type Response = Exclude<Declared, { $ref: string }>;

/** Call once, after the last route is registered and before the document is served. */
export function completeContract(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.register("Problem", Problem);
  // Components are registered when first used, so the document never carries an unused one.
  const registered = new Set<string>();
  const component = (type: "headers" | "responses" | "parameters", name: string, value: () => object) => {
    if (!registered.has(`${type}/${name}`)) registry.registerComponent(type, name, value() as never);
    registered.add(`${type}/${name}`);
    return { $ref: `#/components/${type}/${name}` };
  };
  const header = (name: ResponseHeader) => component("headers", name, () => sharedHeader(name));

  const operationIds = new Set<string>();
  for (const definition of registry.definitions) {
    if (definition.type !== "route") continue;
    const { route } = definition;
    const where = `${route.method.toUpperCase()} ${route.path}`;
    if (!route.operationId) throw new Error(`${where} declares no operationId`);
    if (operationIds.has(route.operationId))
      throw new Error(`${where}: operationId ${route.operationId} twice`);
    operationIds.add(route.operationId);
    const kind = kindOf(route);

    const standard: Record<string, StandardProblem> = kind.ownErrors
      ? { 508: ANY_OPERATION[508]! }
      : {
          ...ANY_OPERATION,
          ...(kind.authenticated ? AUTHENTICATED : {}),
          ...(kind.body ? takesBody(kind.patch) : {}),
          ...(kind.keyed ? KEYED : {}),
        };
    const responses: Record<string, Declared> = {};
    for (const status of new Set([...Object.keys(standard), ...Object.keys(route.responses)])) {
      const replayed = kind.keyed && !NEVER_REPLAYED.has(status);
      const own = route.responses[status];
      const shared = standard[status];
      if (own === undefined && shared && !replayed) {
        // A component is plain OpenAPI: its body names the Problem schema rather than the zod one.
        responses[status] = component("responses", shared.component, () => ({
          ...withHeaders(shared.response, false),
          content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } },
        }));
        continue;
      }
      const response = own ?? shared!.response;
      if (!isResponse(response)) throw new Error(`${where} ${status}: declare the response, not a $ref`);
      if (response.headers && !isHeadersObject(response.headers)) {
        throw new Error(`${where} ${status}: declare response headers with replyHeaders()`);
      }
      responses[status] = withHeaders(response, replayed);
    }
    // Components for the headers the completed responses name.
    header("Request-Id");
    if (kind.keyed) header("Idempotent-Replayed");
    route.responses = responses;
    if (kind.authenticated) {
      const tenant = component("parameters", "Tenant", () => TENANT_PARAMETER);
      route.parameters = [...(route.parameters ?? []), tenant] as RouteConfig["parameters"];
    }
  }
}

/** Every reply carries Request-Id; one that can be a stored reply may carry Idempotent-Replayed. */
function withHeaders(response: Response, replayed: boolean): Response {
  const headers = {
    ...replyHeaders("Request-Id", ...(replayed ? (["Idempotent-Replayed?"] as const) : [])),
    ...response.headers,
  };
  return { ...response, headers: headers as Response["headers"] };
}

const isResponse = (declared: Declared): declared is Response => !("$ref" in declared);

const isHeadersObject = (headers: NonNullable<Response["headers"]>): headers is Record<string, never> =>
  !("_zod" in headers) && !("shape" in headers);
