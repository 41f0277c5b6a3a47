// /openapi.json as the contract tests read it: its operations matched to requests, its $refs
// resolved, its schemas ready for @cfworker/json-schema (a JSON Schema 2020-12 validator that
// interprets schemas instead of compiling them, so it runs inside workerd, where eval is refused).
import { dereference, type Schema } from "@cfworker/json-schema";

export interface OpenApiDocument {
  info: { description: string };
  paths: Record<string, Record<string, OperationObject>>;
  components: Record<string, Record<string, unknown>>;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

export interface HeaderObject {
  required?: boolean;
  schema: Schema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | Ref>;
  content?: Record<string, { schema: Schema }>;
}

export interface OperationObject {
  operationId: string;
  parameters?: (ParameterObject | Ref)[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, ResponseObject | Ref>;
}

interface Ref {
  $ref: string;
}

export interface Operation {
  id: string;
  method: string;
  template: string;
  object: OperationObject;
}

/** The base URI the document's schemas are resolved against. */
const BASE = "https://edgestate.contract/openapi.json";
const METHODS = ["get", "put", "post", "patch", "delete"];

export class ContractDocument {
  readonly operations: Operation[] = [];
  /** Every subschema of the document by absolute URI, for `$ref` resolution while validating. */
  readonly lookup: Record<string, Schema | boolean>;
  private readonly patterns: { template: string; pattern: RegExp; literal: number }[] = [];

  constructor(readonly doc: OpenApiDocument) {
    this.lookup = dereference(doc as unknown as Schema, Object.create(null), new URL(BASE));
    for (const [template, item] of Object.entries(doc.paths)) {
      const source = template.replaceAll(/[.*+?^$()|[\]\\]/g, "\\$&").replaceAll(/\{[^}]+\}/g, "[^/]+");
      this.patterns.push({
        template,
        pattern: new RegExp(`^${source}$`),
        literal: template.split("{").length,
      });
      for (const method of METHODS) {
        const object = item[method];
        if (object) this.operations.push({ id: object.operationId, method, template, object });
      }
    }
  }

  /** The path template a request path falls under: the most literal one, as routers choose. */
  template(path: string): string | undefined {
    const matches = this.patterns.filter((p) => p.pattern.test(path));
    matches.sort((a, b) => a.literal - b.literal);
    return matches[0]?.template;
  }

  operation(method: string, template: string): Operation | undefined {
    const verb = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
    return this.operations.find((o) => o.template === template && o.method === verb);
  }

  methodsOf(template: string): string[] {
    return Object.keys(this.doc.paths[template] ?? {}).filter((m) => METHODS.includes(m));
  }

  /** The object a `$ref` names (`#/components/responses/Unauthorized`), or the object itself. */
  resolve<T>(value: T | Ref): T {
    if (typeof value !== "object" || value === null || !("$ref" in value)) return value as T;
    const path = value.$ref.replace(/^#\//, "").split("/");
    let target: unknown = this.doc;
    for (const part of path) target = (target as Record<string, unknown>)[part.replaceAll("~1", "/")];
    if (target === undefined) throw new Error(`unresolvable $ref ${value.$ref}`);
    return target as T;
  }

  parameters(operation: Operation): ParameterObject[] {
    return (operation.object.parameters ?? []).map((p) => this.resolve(p));
  }
}

/** The document the Worker serves, fetched through it. */
export async function loadContract(fetcher: (url: string) => Promise<Response>): Promise<ContractDocument> {
  const res = await fetcher("https://edgestate.test/openapi.json");
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return new ContractDocument((await res.json()) as OpenApiDocument);
}
