import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";

interface IssuedKey {
  id: string;
  key: string;
  tenant: string;
  scopes: string[];
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

const KEY_FORMAT = /^esk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/;

async function create(body: unknown, call = {}) {
  return api("POST", "/v1/keys", { body, ...call });
}

async function issued(tenant: string, scopes = ["read", "write"], name = "ci") {
  const res = await create({ tenant, scopes, name });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<IssuedKey>(res);
}

const listKeys = async (call = {}) =>
  json<{ items: Record<string, unknown>[]; cursor: string | null }>(
    await api("GET", "/v1/keys?limit=1000", call),
  );

describe("POST /v1/keys", () => {
  it("issues a key shown once, with its id, tenant, scopes, name and creation time", async () => {
    const tenant = unique("acme");
    const before = Date.now();
    const res = await create({ tenant, scopes: ["read", "write"], name: "ci" });
    expect(res.status).toBe(201);
    const body = await json<IssuedKey>(res);
    expect(body).toMatchObject({ tenant, scopes: ["read", "write"], name: "ci", revokedAt: null });
    expect(body.key).toMatch(KEY_FORMAT);
    expect(body.id).toMatch(/^[0-9a-f]{24}$/);
    expect(body.key.startsWith(`esk_${body.id}_`)).toBe(true);
    expect(Date.parse(body.createdAt)).toBeGreaterThanOrEqual(before - 1_000);
    // The reply holds the secret, once: no cache may keep it.
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("issues a key that works at once for its tenant", async () => {
    const tenant = unique("acme");
    const { key } = await issued(tenant);
    const e = newEntity("doc", tenant);
    expect((await put(e, { ok: true }, { key })).status).toBe(201);
    expect((await read(e, { tenant })).body).toEqual({ ok: true });
  });

  it("issues different keys every time", async () => {
    const tenant = unique("acme");
    const one = await issued(tenant);
    const two = await issued(tenant);
    expect(one.id).not.toBe(two.id);
    expect(one.key).not.toBe(two.key);
  });

  it("collapses repeated scopes", async () => {
    const body = await issued(unique("acme"), ["read", "read"]);
    expect(body.scopes).toEqual(["read"]);
  });

  it.each([
    ["a bad tenant", { tenant: "Bad Tenant", scopes: ["read"] }, "/tenant"],
    ["no tenant", { scopes: ["read"] }, "/tenant"],
    ["an unknown scope", { tenant: "acme", scopes: ["root"] }, "/scopes/0"],
    ["no scopes", { tenant: "acme", scopes: [] }, "/scopes"],
    ["an unknown field", { tenant: "acme", scopes: ["read"], extra: 1 }, "/extra"],
    ["a name that is too long", { tenant: "acme", scopes: ["read"], name: "n".repeat(129) }, "/name"],
  ])("refuses %s with 400", async (_, body, pointer) => {
    const problem = await expectProblem(await create(body), 400);
    expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
  });

  it("refuses a body that is not JSON with 400", async () => {
    await expectProblem(await api("POST", "/v1/keys", { raw: "{", contentType: "application/json" }), 400);
  });
});

describe("GET /v1/keys", () => {
  it("lists keys without secrets or hashes", async () => {
    const tenant = unique("acme");
    const key = await issued(tenant, ["read"], "listed");
    const res = await api("GET", "/v1/keys?limit=1000");
    expect(res.status).toBe(200);
    const text = await res.text();
    const secret = key.key.split("_").slice(2).join("_");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(key.key);
    const { items } = JSON.parse(text) as { items: Record<string, unknown>[] };
    const mine = items.find((k) => k.id === key.id);
    expect(mine).toEqual({
      id: key.id,
      tenant,
      scopes: ["read"],
      name: "listed",
      createdAt: key.createdAt,
      revokedAt: null,
    });
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "name", "revokedAt", "scopes", "tenant"]);
    }
  });

  it("lists one tenant's keys with ?tenant=", async () => {
    const tenant = unique("acme");
    const mine = [await issued(tenant), await issued(tenant)];
    await issued(unique("other"));
    const page = await listKeys({});
    expect(page.items.some((k) => k.tenant !== tenant)).toBe(true);
    const only = await json<{ items: { id: string; tenant: string }[] }>(
      await api("GET", `/v1/keys?limit=1000&tenant=${tenant}`),
    );
    expect(only.items.map((k) => k.id).sort()).toEqual(mine.map((k) => k.id).sort());
    await expectProblem(await api("GET", "/v1/keys?tenant=Not_A_Tenant"), 400);
  });

  it("pages with limit and cursor", async () => {
    const tenant = unique("acme");
    for (let i = 0; i < 3; i++) await issued(tenant);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string }[]; cursor: string | null } = await json(
        await api("GET", `/v1/keys?limit=2${cursor ? `&cursor=${cursor}` : ""}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) seen.add(item.id);
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(pages).toBeGreaterThanOrEqual(2);
  });
});

describe("DELETE /v1/keys/{id}", () => {
  it("revokes: the very next request with that key is 401", async () => {
    const tenant = unique("acme");
    const { id, key } = await issued(tenant);
    const e = newEntity("doc", tenant);
    expect((await put(e, 1, { key })).status).toBe(201);
    expect((await read(e, { key })).status).toBe(200); // the key is now cached in this isolate

    const res = await api("DELETE", `/v1/keys/${id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    const after = await read(e, { key });
    expect(after.status).toBe(401);
    await expectProblem(await put(e, 2, { key }), 401);
    expect((await read(e, { tenant })).version).toBe(1);
  });

  it("shows the revocation time in the listing", async () => {
    const { id } = await issued(unique("acme"));
    await api("DELETE", `/v1/keys/${id}`);
    const found = (await listKeys()).items.find((k) => k.id === id);
    expect(found?.revokedAt).toEqual(expect.stringMatching(/Z$/));
  });

  it("answers 204 again for a key already revoked", async () => {
    const { id } = await issued(unique("acme"));
    expect((await api("DELETE", `/v1/keys/${id}`)).status).toBe(204);
    expect((await api("DELETE", `/v1/keys/${id}`)).status).toBe(204);
  });

  it.each([["0123456789abcdef01234567"], ["not-a-key-id"]])("answers 404 for unknown id %s", async (id) => {
    await expectProblem(await api("DELETE", `/v1/keys/${id}`), 404);
  });
});

describe("keys with the admin scope of one tenant", () => {
  it("issue keys for their own tenant only", async () => {
    const tenant = unique("acme");
    const { key } = await issued(tenant, ["admin", "read"]);
    expect((await create({ tenant, scopes: ["read"] }, { key })).status).toBe(201);
    await expectProblem(await create({ tenant: unique("other"), scopes: ["read"] }, { key }), 403);
  });

  it("issue only scopes they hold: an admin-only key cannot mint a key that reads or writes", async () => {
    const tenant = unique("acme");
    const { key } = await issued(tenant, ["admin"]);
    await expectProblem(await api("GET", "/v1/entities/doc/x", { key }), 403);
    await expectProblem(await create({ tenant, scopes: ["read", "write", "admin"] }, { key }), 403);
    await expectProblem(await create({ tenant, scopes: ["read"] }, { key }), 403);
    expect((await create({ tenant, scopes: ["admin"] }, { key })).status).toBe(201);
  });

  it("list only their own tenant's keys", async () => {
    const tenant = unique("acme");
    const { key } = await issued(tenant, ["admin"]);
    await issued(unique("other"));
    const { items } = await listKeys({ key });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((k) => k.tenant === tenant)).toBe(true);
    expect((await api("GET", `/v1/keys?tenant=${tenant}`, { key })).status).toBe(200);
    await expectProblem(await api("GET", `/v1/keys?tenant=${unique("other")}`, { key }), 403);
  });

  it("cannot revoke another tenant's key (404)", async () => {
    const { key } = await issued(unique("acme"), ["admin"]);
    const other = await issued(unique("other"));
    await expectProblem(await api("DELETE", `/v1/keys/${other.id}`, { key }), 404);
    const e = newEntity("doc", other.tenant);
    expect((await put(e, 1, { key: other.key })).status).toBe(201);
  });
});
