import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { api } from "../support/api";

// Every /v1 route the Worker actually serves, read from the router itself, so a route added
// without a schema (and so missing from /openapi.json) fails here.
const served = createApp()
  .routes.filter((r) => r.path.startsWith("/v1/") && r.method !== "ALL")
  .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replaceAll(/:([A-Za-z_]+)/g, "{$1}") }));

describe("/openapi.json covers the router", () => {
  it("lists at least the entity, key, session and machine routes", () => {
    const paths = new Set(served.map((r) => r.path));
    for (const p of ["/v1/entities/{type}/{id}", "/v1/keys", "/v1/sessions", "/v1/machines/{name}"])
      expect(paths).toContain(p);
  });

  it("describes every served /v1 route and method", async () => {
    const doc = (await (await api("GET", "/openapi.json", { key: null })).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const missing = served.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it("declares the scope of every operation where the route is defined, and auth enforces it", async () => {
    const doc = (await (await api("GET", "/openapi.json", { key: null })).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const undeclared = served
      .filter(
        (r) =>
          !["read", "write", "admin"].includes(String(doc.paths[r.path]?.[r.method]?.["x-edgestate-scope"])),
      )
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
    expect(doc.paths["/v1/definitions/validate"]?.post?.["x-edgestate-scope"]).toBe("read");
    expect(doc.paths["/v1/entities/{type}/{id}"]?.put?.["x-edgestate-scope"]).toBe("write");
    expect(doc.paths["/v1/keys"]?.get?.["x-edgestate-scope"]).toBe("admin");
  });
});
