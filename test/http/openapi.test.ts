import { describe, expect, it } from "vitest";
import { api } from "../support/api";

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const V1_ROUTES: [path: string, methods: string[]][] = [
  ["/v1/keys", ["get", "post"]],
  ["/v1/keys/{id}", ["delete"]],
  ["/v1/entities/{type}", ["get"]],
  ["/v1/entities/{type}/{id}", ["delete", "get", "patch", "put"]],
  ["/v1/entities/{type}/{id}/history", ["get"]],
];

async function openapi(): Promise<OpenApiDocument> {
  const res = await api("GET", "/openapi.json", { key: null });
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  return (await res.json()) as OpenApiDocument;
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document", async () => {
    const doc = await openapi();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe("edgestate");
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it.each(V1_ROUTES)("describes %s with methods %j", async (path, methods) => {
    const doc = await openapi();
    expect(Object.keys(doc.paths)).toContain(path);
    for (const method of methods) expect(Object.keys(doc.paths[path]!)).toContain(method);
  });

  it("puts every /v1 operation behind the bearer key (watches: or a ticket)", async () => {
    const doc = await openapi();
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith("/v1/")) continue;
      for (const [method, operation] of Object.entries(operations)) {
        const expected = path.endsWith("/watch") ? [{ bearer: [] }, { ticket: [] }] : [{ bearer: [] }];
        expect(operation.security, `${method} ${path}`).toEqual(expected);
      }
    }
  });

  it("documents the entity statuses a client must handle", async () => {
    const doc = await openapi();
    const entity = doc.paths["/v1/entities/{type}/{id}"]!;
    expect(Object.keys(entity.put!.responses)).toEqual(expect.arrayContaining(["200", "201", "412", "422"]));
    expect(Object.keys(entity.patch!.responses)).toEqual(expect.arrayContaining(["200", "409", "415"]));
    expect(Object.keys(entity.get!.responses)).toEqual(expect.arrayContaining(["200", "304", "404"]));
  });
});
