// es.entities against wrangler dev: every method, the shapes the issue names, errors by code.
import { createClient, type Entity, isEdgestateError } from "edgestate/client";
import { describe, expect, it } from "vitest";
import { baseUrl, client, failure, unique } from "./support";

const es = client();

interface Cart {
  items: string[];
  coupon?: string;
}

describe("es.entities", () => {
  it("put, get, patch both ways and delete, each with version, etag and times", async () => {
    const id = unique("cart");
    const created: Entity<Cart> = await es.entities.put<Cart>(
      "cart",
      id,
      { items: ["apple"] },
      { ttl: 3600 },
    );
    expect(created).toEqual({
      body: { items: ["apple"] },
      version: 1,
      etag: '"1"',
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      expiresAt: expect.any(String),
    });
    const expires = Date.parse(created.expiresAt!) - Date.now();
    expect(expires).toBeGreaterThan(3500_000);
    expect(expires).toBeLessThanOrEqual(3600_000);

    const read = await es.entities.get<Cart>("cart", id);
    expect(read).toEqual(created);

    const merged = await es.entities.patch<Cart>("cart", id, { coupon: "WELCOME" }, { ifMatch: read.etag });
    expect(merged).toMatchObject({ body: { items: ["apple"], coupon: "WELCOME" }, version: 2, etag: '"2"' });
    expect(merged.expiresAt).toBe(created.expiresAt);

    const patched = await es.entities.patch<Cart>(
      "cart",
      id,
      [{ op: "add", path: "/items/-", value: "pear" }],
      {
        type: "json-patch",
        ifMatch: 2,
      },
    );
    expect(patched.body.items).toEqual(["apple", "pear"]);

    const old = await es.entities.get<Cart>("cart", id, { version: 1 });
    expect(old.body).toEqual({ items: ["apple"] });

    expect(await es.entities.delete("cart", id, { ifMatch: patched.etag })).toEqual({ version: 4 });
    const gone = await failure(es.entities.get("cart", id));
    expect(gone).toMatchObject({ code: "not-found", status: 404, type: "urn:edgestate:problem:not-found" });
    expect(gone.requestId).toEqual(expect.any(String));
  });

  it("eventual reads come from the edge cache once it holds a copy", async () => {
    const id = unique("cart");
    await es.entities.put("cart", id, { items: [] });
    await expect
      .poll(() => es.entities.get("cart", id, { consistency: "eventual" }).then((e) => e.version))
      .toBe(1);
  });

  it("preconditions fail with precondition-failed, create-only with it too", async () => {
    const id = unique("cart");
    await es.entities.put("cart", id, { items: [] }, { ifNoneMatch: "*" });
    const again = await failure(es.entities.put("cart", id, { items: [] }, { ifNoneMatch: "*" }));
    expect(again).toMatchObject({ code: "precondition-failed", status: 412, title: "Precondition Failed" });
    expect(isEdgestateError(again, "precondition-failed")).toBe(true);
    const stale = await failure(es.entities.put("cart", id, { items: ["x"] }, { ifMatch: '"7"' }));
    expect(stale.code).toBe("precondition-failed");
    expect((await es.entities.get("cart", id)).version).toBe(1);
  });

  it("invalid input is bad-request with a pointer per problem, and changes nothing", async () => {
    const e = await failure(es.entities.put("cart", unique("cart"), {}, { ttl: 0 }));
    expect(e).toMatchObject({ code: "bad-request", status: 400 });
    expect(e.problem).toMatchObject({ type: "urn:edgestate:problem:bad-request", status: 400 });
    expect(e.errors).toEqual([expect.objectContaining({ pointer: expect.stringContaining("ttl") })]);
    const badType = await failure(es.entities.get("Not A Type", "x"));
    expect(badType.code).toBe("bad-request");
    const patch = await failure(
      es.entities.patch("cart", unique("cart"), [{ op: "remove", path: "/nope" }], { type: "json-patch" }),
    );
    expect(patch.code).toBe("not-found");
  });

  it("update() applies every concurrent change once, reading again after a 412", async () => {
    const id = unique("counter");
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        es.entities.update<{ n: number }>("counter", id, (current) => ({ n: (current?.n ?? 0) + 1 })),
      ),
    );
    const final = await es.entities.get<{ n: number }>("counter", id);
    expect(final.body.n).toBe(8);
    expect(final.version).toBe(8);
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("update() keeps the entity's expiry, and gives up after maxAttempts", async () => {
    const id = unique("cart");
    const created = await es.entities.put<Cart>("cart", id, { items: [] }, { ttl: 600 });
    const updated = await es.entities.update<Cart>("cart", id, (c) => ({
      items: [...(c?.items ?? []), "fig"],
    }));
    expect(updated).toMatchObject({ version: 2, body: { items: ["fig"] }, expiresAt: created.expiresAt });
    let calls = 0;
    const e = await failure(
      es.entities.update<Cart>(
        "cart",
        id,
        async (c) => {
          calls++;
          // Someone else writes between this read and its write, every time.
          await es.entities.patch("cart", id, { touchedBy: calls });
          return { items: [...(c?.items ?? []), "never"] };
        },
        { maxAttempts: 3 },
      ),
    );
    expect(e.code).toBe("precondition-failed");
    expect(calls).toBe(3);
    expect((await es.entities.get<Cart>("cart", id)).body.items).toEqual(["fig"]);
  });

  it("history pages newest first through an async iterator; list and types page the index", async () => {
    const id = unique("doc");
    for (let i = 0; i < 5; i++) await es.entities.put("doc", id, { i });
    const versions: number[] = [];
    let pageCount = 0;
    for await (const page of es.entities.history("doc", id, { limit: 2 })) {
      pageCount++;
      versions.push(...page.items.map((item) => item.version));
    }
    expect(versions).toEqual([5, 4, 3, 2, 1]);
    expect(pageCount).toBe(3);
    await expect
      .poll(async () => (await es.entities.list("doc", { prefix: id })).items.map((i) => i.id))
      .toEqual([id]);
    await expect.poll(async () => (await es.entities.types()).items.map((t) => t.type)).toContain("doc");
  });

  it("a tenant is a separate space: the root key acts on the one it names", async () => {
    const id = unique("cart");
    const tenant = client({ tenant: unique("t").replace(/[^a-z0-9-]/g, "") });
    await tenant.entities.put("cart", id, { items: ["t"] });
    expect((await failure(es.entities.get("cart", id))).code).toBe("not-found");
    expect((await tenant.entities.get<Cart>("cart", id)).body.items).toEqual(["t"]);
  });

  it("a wrong key is unauthorized", async () => {
    const bad = createClient({ url: baseUrl(), key: "esk_nope" });
    expect(await failure(bad.entities.get("cart", "x"))).toMatchObject({ code: "unauthorized", status: 401 });
  });
});
