import { describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { get, mergePatch, newEntity, put, read, remove } from "../support/entities";
import { expectProblem } from "../support/problem";
import { TEST_ADMIN_KEY } from "../support/test-secrets";

async function expectUnauthorized(res: Response) {
  expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer\b/);
  return expectProblem(res, 401);
}

describe("authentication", () => {
  it("answers 401 with WWW-Authenticate: Bearer when the key is missing", async () => {
    await expectUnauthorized(await get(newEntity(), { key: null }));
    await expectUnauthorized(await put(newEntity(), 1, { key: null }));
    await expectUnauthorized(await api("GET", "/v1/keys", { key: null }));
  });

  it.each([
    ["an unknown key", `esk_${"0".repeat(24)}_${"A".repeat(43)}`],
    ["a malformed key", "not-a-key"],
    ["a wrong admin key", `esk_admin_${"x".repeat(64)}`],
    ["the admin key with a character changed", `${TEST_ADMIN_KEY.slice(0, -1)}1`],
  ])("answers 401 for %s", async (_, key) => {
    await expectUnauthorized(await get(newEntity(), { key }));
  });

  it("answers 401 for a real key id with the wrong secret", async () => {
    const key = await issueKey(unique("acme"));
    const forged = `${key.slice(0, 29)}${"B".repeat(43)}`;
    expect(forged).not.toBe(key);
    await expectUnauthorized(await get(newEntity(), { key: forged }));
  });

  it.each(["bearer", "BEARER", "bEaReR"])(
    "accepts the scheme spelled %s (it is case-insensitive)",
    async (scheme) => {
      const res = await api("GET", "/v1/keys", {
        key: null,
        headers: { Authorization: `${scheme} ${TEST_ADMIN_KEY}` },
      });
      expect(res.status, await res.text()).toBe(200);
    },
  );

  it("answers 401 for another auth scheme", async () => {
    const res = await api("GET", newEntity().path, {
      key: null,
      headers: { Authorization: `Basic ${btoa("a:b")}` },
    });
    await expectUnauthorized(res);
  });

  it("does not need a key for /healthz and /openapi.json", async () => {
    expect((await api("GET", "/healthz", { key: null })).status).toBe(200);
    expect((await api("GET", "/openapi.json", { key: null })).status).toBe(200);
  });
});

describe("scopes", () => {
  it("a read-only key can GET but not PUT, PATCH or DELETE (403)", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant, ["read"]);
    const e = newEntity("doc", tenant);
    await put(e, { a: 1 }, { tenant });
    expect((await read(e, { key })).status).toBe(200);
    expect((await api("GET", `${e.path}/history`, { key })).status).toBe(200);
    expect((await api("GET", `/v1/entities/${e.type}`, { key })).status).toBe(200);
    const problem = await expectProblem(await put(e, { a: 2 }, { key }), 403);
    expect(problem.detail).toContain("write");
    await expectProblem(await mergePatch(e, { a: 2 }, { key }), 403);
    await expectProblem(await remove(e, { key }), 403);
    expect((await read(e, { key })).version).toBe(1);
  });

  it("a write-only key can write but not read (403)", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant, ["write"]);
    const e = newEntity("doc", tenant);
    expect((await put(e, { a: 1 }, { key })).status).toBe(201);
    expect((await mergePatch(e, { b: 1 }, { key })).status).toBe(200);
    const problem = await expectProblem(await get(e, { key }), 403);
    expect(problem.detail).toContain("read");
    await expectProblem(await api("GET", `${e.path}/history`, { key }), 403);
    await expectProblem(await api("GET", `/v1/entities/${e.type}`, { key }), 403);
  });

  it("a key without the admin scope cannot manage keys (403)", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant, ["read", "write"]);
    await expectProblem(await api("POST", "/v1/keys", { key, body: { tenant, scopes: ["read"] } }), 403);
    await expectProblem(await api("GET", "/v1/keys", { key }), 403);
    await expectProblem(await api("DELETE", `/v1/keys/${"0".repeat(24)}`, { key }), 403);
  });

  it("a key with only the admin scope cannot read or write entities (403)", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant, ["admin"]);
    await expectProblem(await get(newEntity("doc", tenant), { key }), 403);
    await expectProblem(await put(newEntity("doc", tenant), 1, { key }), 403);
  });
});

describe("Edgestate-Tenant", () => {
  it("a tenant key with a mismatching header is refused with 403", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant);
    const e = newEntity("doc", unique("other"));
    const problem = await expectProblem(await put(e, 1, { key, tenant: e.tenant }), 403);
    expect(problem.detail).toContain(tenant);
    expect((await read(e, { tenant: e.tenant })).status).toBe(404);
  });

  it("a tenant key with its own tenant in the header is accepted", async () => {
    const tenant = unique("acme");
    const key = await issueKey(tenant);
    expect((await put(newEntity("doc", tenant), 1, { key, tenant })).status).toBe(201);
  });

  it("refuses a malformed tenant header with 400", async () => {
    const problem = await expectProblem(await get(newEntity(), { tenant: "Not A Tenant" }), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/headers/edgestate-tenant");
  });

  it("the admin key acts on the named tenant", async () => {
    const tenant = unique("acme");
    const e = newEntity("doc", tenant);
    expect((await put(e, "via admin", { tenant })).status).toBe(201);
    const key = await issueKey(tenant, ["read"]);
    expect((await read(e, { key })).body).toBe("via admin");
    expect((await read(e)).status).toBe(404); // the admin's default tenant is "default"
  });
});

describe("scope of POST /v1/definitions/validate", () => {
  it("needs only read: validating changes nothing", async () => {
    const key = await issueKey(unique("ro"), ["read"]);
    const definition = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    const res = await api("POST", "/v1/definitions/validate", { key, body: definition });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: true });
  });
});
