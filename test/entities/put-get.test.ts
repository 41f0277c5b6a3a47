import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { entityObject, get, newEntity, put, read } from "../support/entities";
import { expectProblem } from "../support/problem";

const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe("PUT /v1/entities/{type}/{id}", () => {
  it("creates with 201, the body, ETag, Last-Modified, Edgestate-Version and Location", async () => {
    const e = newEntity("user");
    const res = await put(e, { name: "Ada", tags: ["x"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(res.headers.get("Edgestate-Version")).toBe("1");
    expect(res.headers.get("Last-Modified")).toMatch(HTTP_DATE);
    expect(Math.abs(Date.parse(res.headers.get("Last-Modified")!) - Date.now())).toBeLessThan(5_000);
    expect(res.headers.get("Location")).toBe(e.path);
    expect(res.headers.has("Edgestate-Expires")).toBe(false);
    expect(await json(res)).toEqual({ name: "Ada", tags: ["x"] });
  });

  it("replaces with 200 and the next version, without Location", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await put(e, { b: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Edgestate-Version")).toBe("2");
    expect(res.headers.has("Location")).toBe(false);
    expect(await json(res)).toEqual({ b: 2 });
    expect((await read(e)).body).toEqual({ b: 2 });
  });

  it("counts versions up by one per write", async () => {
    const e = newEntity();
    const etags: (string | null)[] = [];
    for (let i = 0; i < 5; i++) etags.push((await put(e, { i })).headers.get("ETag"));
    expect(etags).toEqual(['"1"', '"2"', '"3"', '"4"', '"5"']);
  });

  it.each([
    ["an object", { nested: { deep: [1, { x: null }] } }],
    ["an array", [1, "two", { three: 3 }, [4]]],
    ["an empty object", {}],
    ["an empty array", []],
    ["a string", "hello, world"],
    ["an empty string", ""],
    ["a unicode string", 'žluťoučký 🐎 \u0000 "quoted"'],
    ["a number", 42.5],
    ["zero", 0],
    ["a negative number", -1e-7],
    ["true", true],
    ["false", false],
    ["null", null],
  ])("stores %s as the whole document", async (_, value) => {
    const e = newEntity();
    const res = await put(e, value);
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual(value);
    const got = await get(e);
    expect(got.status).toBe(200);
    expect(await json(got)).toEqual(value);
  });

  it("accepts application/json with a charset parameter", async () => {
    const e = newEntity();
    const res = await api("PUT", e.path, { raw: '{"a":1}', contentType: "application/json; charset=utf-8" });
    expect(res.status).toBe(201);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const e = newEntity();
    await expectProblem(await api("PUT", e.path, { raw: "a=1", contentType: "text/plain" }), 415);
    expect((await read(e)).status).toBe(404);
  });

  it("refuses a PUT without a body with 400 and creates nothing", async () => {
    const e = newEntity();
    await expectProblem(await api("PUT", e.path), 400);
    expect((await read(e)).status).toBe(404);
  });

  it("refuses an empty body with 400", async () => {
    const e = newEntity();
    await expectProblem(await api("PUT", e.path, { raw: "" }), 400);
    expect((await read(e)).status).toBe(404);
  });
});

describe("GET /v1/entities/{type}/{id}", () => {
  it("returns the document with the same ETag, Last-Modified and Edgestate-Version as the write", async () => {
    const e = newEntity();
    const written = await put(e, { n: 1 });
    const res = await get(e);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("ETag")).toBe(written.headers.get("ETag"));
    expect(res.headers.get("Last-Modified")).toBe(written.headers.get("Last-Modified"));
    expect(res.headers.get("Edgestate-Version")).toBe("1");
    expect(await json(res)).toEqual({ n: 1 });
  });

  it("returns the body byte-for-byte as the write returned it", async () => {
    const e = newEntity();
    const written = await (await put(e, { b: [1, 2], a: "x" })).text();
    expect(await (await get(e)).text()).toBe(written);
  });

  it("answers 404 for an entity that never existed", async () => {
    const body = await expectProblem(await get(newEntity()), 404);
    expect(body.title).toBe("Not Found");
  });

  it("answers HEAD with the headers and no body", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await api("HEAD", e.path);
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(await res.text()).toBe("");
  });

  it("keeps entities of different types with the same id apart", async () => {
    const e = newEntity("alpha");
    const other = { ...e, type: "beta", path: `/v1/entities/beta/${e.id}` };
    await put(e, "alpha");
    await put(other, "beta");
    expect((await read(e)).body).toBe("alpha");
    expect((await read(other)).body).toBe("beta");
  });

  it("keeps the document and its version across an object restart", async () => {
    const e = newEntity();
    await put(e, { durable: true });
    await evictDurableObject(entityObject(e));
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { durable: true } });
    expect((await put(e, { durable: "still" })).headers.get("ETag")).toBe('"2"');
  });

  it("stores the document sealed, never as plain text", async () => {
    const e = newEntity();
    await put(e, { secret: "plain-text-marker" });
    const rows = await runInDurableObject(entityObject(e), (_, state) =>
      state.storage.sql.exec<{ body: string }>("SELECT body FROM versions").toArray(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).not.toContain("plain-text-marker");
  });
});
