import { describe, expect, it } from "vitest";
import { api } from "../support/api";
import { get, newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";

/** JSON text nested `depth` arrays deep: [[[…0…]]]. */
const nested = (depth: number) => `${"[".repeat(depth)}0${"]".repeat(depth)}`;

describe("problem documents", () => {
  it("unknown route → 404", async () => {
    const problem = await expectProblem(await api("GET", "/nope", { key: null }), 404);
    expect(problem.title).toBe("Not Found");
    await expectProblem(await api("GET", "/v1/nope"), 404);
    await expectProblem(await api("GET", "/v1/entities/doc/id/extra/segments"), 404);
  });

  it.each([
    ["POST", "/v1/entities/doc/x", "DELETE, GET, HEAD, PATCH, PUT"],
    ["PUT", "/v1/entities/doc", "GET, HEAD"],
    ["DELETE", "/v1/entities/doc/x/history", "GET, HEAD"],
    ["PUT", "/v1/keys", "GET, HEAD, POST"],
    ["GET", "/v1/keys/0123456789abcdef01234567", "DELETE"],
  ])("wrong method %s %s → 405 with Allow: %s", async (method, path, allow) => {
    const res = await api(method, path, method === "PUT" ? { body: {} } : {});
    expect(res.headers.get("Allow")).toBe(allow);
    await expectProblem(res, 405);
  });

  it("invalid JSON → 400 and nothing is written", async () => {
    const e = newEntity();
    const problem = await expectProblem(await api("PUT", e.path, { raw: '{"a":' }), 400);
    expect(problem.detail).toMatch(/JSON/);
    expect((await read(e)).status).toBe(404);
  });

  it("a body over MAX_BODY_BYTES (262144) → 413 and nothing is written", async () => {
    const e = newEntity();
    const body = JSON.stringify("x".repeat(262_145));
    await expectProblem(await api("PUT", e.path, { raw: body }), 413);
    expect((await read(e)).status).toBe(404);
  });

  it("a body just under MAX_BODY_BYTES is accepted", async () => {
    const e = newEntity();
    const body = JSON.stringify("x".repeat(262_144 - 2));
    expect(new TextEncoder().encode(body).byteLength).toBe(262_144);
    expect((await api("PUT", e.path, { raw: body })).status).toBe(201);
  });

  it("a PATCH body over MAX_BODY_BYTES → 413", async () => {
    const e = newEntity();
    await put(e, {});
    const body = JSON.stringify({ big: "x".repeat(270_000) });
    await expectProblem(
      await api("PATCH", e.path, { raw: body, contentType: "application/merge-patch+json" }),
      413,
    );
    expect((await read(e)).version).toBe(1);
  });

  it("JSON nested deeper than 64 → 400; 64 levels are accepted", async () => {
    const e = newEntity();
    const problem = await expectProblem(await api("PUT", e.path, { raw: nested(65) }), 400);
    expect(problem.detail).toContain("64");
    expect((await read(e)).status).toBe(404);
    expect((await api("PUT", e.path, { raw: nested(64) })).status).toBe(201);
  });

  it("counts nesting in patches too", async () => {
    const e = newEntity();
    await put(e, {});
    const deep = `{"a":${nested(64)}}`;
    await expectProblem(
      await api("PATCH", e.path, { raw: deep, contentType: "application/merge-patch+json" }),
      400,
    );
  });

  it.each([
    ["an upper-case type", "/v1/entities/User/x", "/path/type"],
    ["a type starting with a digit", "/v1/entities/1user/x", "/path/type"],
    ["a type longer than 64", `/v1/entities/${"t".repeat(65)}/x`, "/path/type"],
    ["an id with a percent-encoded slash", "/v1/entities/doc/a%2Fb", "/path/id"],
    ["an id with a space", "/v1/entities/doc/a%20b", "/path/id"],
    ["an id with a colon", "/v1/entities/doc/a:b", "/path/id"],
    ["an id with non-ASCII", "/v1/entities/doc/%C3%A9", "/path/id"],
    ["an id longer than 256", `/v1/entities/doc/${"i".repeat(257)}`, "/path/id"],
  ])("%s → 400 naming the parameter", async (_, path, pointer) => {
    const problem = await expectProblem(await api("PUT", path, { body: 1 }), 400);
    expect(problem.errors?.[0]?.pointer).toBe(pointer);
    await expectProblem(await api("GET", path), 400);
  });

  it("a bad id on history → 400", async () => {
    const problem = await expectProblem(await api("GET", "/v1/entities/doc/a%2Fb/history"), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/path/id");
  });

  it("accepts every id character and the maximum lengths", async () => {
    for (const path of [
      "/v1/entities/doc/AZaz09._~-",
      `/v1/entities/doc/${"i".repeat(256)}`,
      `/v1/entities/${"t".repeat(64)}/x`,
      "/v1/entities/a_b-c/x",
      "/v1/entities/doc/...",
    ]) {
      expect((await api("PUT", path, { body: 1 })).status, path).toBe(201);
    }
  });

  it("never lets a dot-segment name an entity: /.. is resolved away before routing", async () => {
    for (const path of ["/v1/entities/doc/..", "/v1/entities/doc/%2E%2E", "/v1/entities/doc/."]) {
      const res = await api("PUT", path, { body: 1 });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    }
  });

  it("no error body carries stack trace text", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const replies = [
      await api("PUT", e.path, { raw: "{bad" }),
      await api("PATCH", e.path, { raw: "[", contentType: "application/json-patch+json" }),
      await api("PATCH", e.path, {
        raw: '[{"op":"remove","path":"/zz"}]',
        contentType: "application/json-patch+json",
      }),
      await api("PUT", e.path, { raw: "1", contentType: "application/xml" }),
      await get(e, { headers: { "If-None-Match": "garbage" } }),
      await api("GET", `${e.path}?version=999999`),
      await api("GET", "/v1/entities/doc/%FF"),
    ];
    for (const res of replies) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      await expectProblem(res, res.status);
    }
  });
});
