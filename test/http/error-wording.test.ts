// Problems a person can act on: one wording, a pointer at the field itself, one error per field,
// 415s that name what is taken, and logs that say what happened under the request id.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchWith, ringSecret, setObjectSecret } from "../security/support";
import { api, issueKey, unique } from "../support/api";
import { expectProblem } from "../support/problem";

/** Phrases of the validation library's own messages, which never reach a client. */
const LIBRARY_WORDING = /Too (small|big)|Invalid (input|option)|Unrecognized key|expected \w+, received/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("validation problems", () => {
  it("name an unknown field by its own pointer, one error per field", async () => {
    const problem = await expectProblem(
      await api("POST", "/v1/sessions", { body: { ttl: 5, colour: "red", size: 2 } }),
      400,
    );
    expect(problem.errors).toEqual([
      { pointer: "/ttl", message: "must be at least 60" },
      { pointer: "/colour", message: "is not a known field" },
      { pointer: "/size", message: "is not a known field" },
    ]);
  });

  it("give one error per pointer, in the house wording", async () => {
    const query = await expectProblem(await api("PUT", "/v1/entities/doc/a?ttl=soon", { body: {} }), 400);
    expect(query.errors).toEqual([{ pointer: "/query/ttl", message: "must be a whole number" }]);
    const body = await expectProblem(
      await api("POST", "/v1/keys", { body: { scopes: ["root"], name: "" } }),
      400,
    );
    expect(body.errors).toEqual([
      { pointer: "/tenant", message: "is required" },
      { pointer: "/scopes/0", message: 'must be one of "read", "write", "admin"' },
      { pointer: "/name", message: "must not be empty" },
    ]);
  });

  it("refuse a query parameter the operation does not list, naming it, and write nothing", async () => {
    const path = `/v1/entities/doc/${unique("typo")}`;
    const problem = await expectProblem(await api("PUT", `${path}?tll=60`, { body: { a: 1 } }), 400);
    expect(problem.errors).toEqual([{ pointer: "/query/tll", message: "is not a known parameter" }]);
    await expectProblem(await api("GET", path), 404);
  });

  it.each([
    ["a string for a number", "POST", "/v1/sessions", { ttl: "soon" }],
    ["a number for a boolean", "POST", "/v1/sessions", { sliding: 1 }],
    ["an over-long name", "POST", "/v1/keys", { tenant: "t", scopes: ["read"], name: "n".repeat(200) }],
    ["an empty scope list", "POST", "/v1/keys", { tenant: "t", scopes: [] }],
    ["an unknown stop field", "POST", "/v1/machines/m/executions/e/stop", { reason: "x" }],
    ["a token too long", "POST", "/v1/callbacks/heartbeat", { taskToken: "t".repeat(3000) }],
  ])("never show the library's wording: %s", async (_, method, path, body) => {
    const text = JSON.stringify(await expectProblem(await api(method, path, { body }), 400));
    expect(text).not.toMatch(LIBRARY_WORDING);
  });
});

describe("415 Unsupported Media Type", () => {
  it("names the media types a body may have, in the detail and in Accept", async () => {
    const res = await api("PUT", "/v1/entities/doc/a", { raw: "a=1", contentType: "text/plain" });
    expect(res.headers.get("Accept")).toBe("application/json");
    expect((await expectProblem(res, 415)).detail).toBe("PUT here takes application/json, not text/plain");
  });

  it("names them in Accept-Patch on a PATCH", async () => {
    const res = await api("PATCH", "/v1/entities/doc/a", { body: { a: 1 } });
    expect(res.headers.get("Accept-Patch")).toBe("application/merge-patch+json, application/json-patch+json");
    expect((await expectProblem(res, 415)).detail).toContain("application/merge-patch+json");
  });
});

describe("logs", () => {
  it("a 500 logs its cause under the request id", async () => {
    const id = unique("sealed");
    expect((await api("PUT", `/v1/entities/doc/${id}`, { body: { a: 1 } })).status).toBe(201);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // k1 sealed it; a deployment without k1 cannot open it.
    const k2Only = ringSecret("k2", ["k2"]);
    const previous = await setObjectSecret("ENCRYPTION_KEYS", k2Only);
    let res: Response;
    try {
      res = await fetchWith({ ENCRYPTION_KEYS: k2Only }, "GET", `/v1/entities/doc/${id}`);
    } finally {
      await setObjectSecret("ENCRYPTION_KEYS", previous);
    }
    const problem = await expectProblem(res, 500);
    const lines = errors.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        requestId: res.headers.get("Request-Id"),
        event: "server_problem",
        type: "key-unavailable",
        detail: problem.detail,
      }),
    );
  });

  it("a refused request's log line names the route it was refused, not /v1/*", async () => {
    const reader = await issueKey(unique("log").toLowerCase(), ["read"]);
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await fetchWith({ LOG_REQUESTS: "true" }, "PUT", "/v1/entities/doc/a", {
      body: "{}",
      key: reader,
    });
    expect(res.status).toBe(403);
    const lines = logs.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        requestId: res.headers.get("Request-Id"),
        method: "PUT",
        route: "/v1/entities/:type/:id",
        status: 403,
      }),
    ]);
  });
});
