import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { get, mergePatch, newEntity, put, read, remove } from "../support/entities";
import { expectProblem } from "../support/problem";

const ifMatch = (etag: string) => ({ headers: { "If-Match": etag } });
const ifNoneMatch = (etag: string) => ({ headers: { "If-None-Match": etag } });

async function entityAtVersion2() {
  const e = newEntity();
  await put(e, { v: 1 });
  await put(e, { v: 2 });
  return e;
}

describe("If-Match on PUT", () => {
  it("replaces when the ETag is current", async () => {
    const e = await entityAtVersion2();
    const res = await put(e, { v: 3 }, ifMatch('"2"'));
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"3"');
  });

  it("answers 412 with the current ETag when the ETag is stale, and changes nothing", async () => {
    const e = await entityAtVersion2();
    const res = await put(e, { v: "lost" }, ifMatch('"1"'));
    expect(res.headers.get("ETag")).toBe('"2"');
    const problem = await expectProblem(res, 412);
    expect(problem.title).toBe("Precondition Failed");
    expect(await read(e)).toEqual({ status: 200, version: 2, body: { v: 2 } });
  });

  it("matches any ETag in a list", async () => {
    const e = await entityAtVersion2();
    expect((await put(e, { v: 3 }, ifMatch('"1", "2"'))).status).toBe(200);
  });

  it("matches * when the entity exists", async () => {
    const e = await entityAtVersion2();
    expect((await put(e, { v: 3 }, ifMatch("*"))).status).toBe(200);
  });

  it("answers 412 for * when the entity does not exist, and creates nothing", async () => {
    const e = newEntity();
    const res = await put(e, { v: 1 }, ifMatch("*"));
    expect(res.headers.has("ETag")).toBe(false);
    await expectProblem(res, 412);
    expect((await read(e)).status).toBe(404);
  });

  it("answers 412 for * after the entity was deleted", async () => {
    const e = await entityAtVersion2();
    await remove(e);
    await expectProblem(await put(e, { v: 1 }, ifMatch("*")), 412);
  });

  it("never matches a weak ETag (strong comparison): 412", async () => {
    const e = await entityAtVersion2();
    const res = await put(e, { v: 3 }, ifMatch('W/"2"'));
    expect(res.headers.get("ETag")).toBe('"2"');
    await expectProblem(res, 412);
  });
});

describe("If-None-Match: * on PUT (create only)", () => {
  it("creates when the entity does not exist", async () => {
    const e = newEntity();
    const res = await put(e, { v: 1 }, ifNoneMatch("*"));
    expect(res.status).toBe(201);
  });

  it("answers 412 with the current ETag when the entity exists, and changes nothing", async () => {
    const e = await entityAtVersion2();
    const res = await put(e, { v: "lost" }, ifNoneMatch("*"));
    expect(res.headers.get("ETag")).toBe('"2"');
    await expectProblem(res, 412);
    expect((await read(e)).body).toEqual({ v: 2 });
  });

  it("creates again after a delete", async () => {
    const e = await entityAtVersion2();
    await remove(e);
    expect((await put(e, { v: 4 }, ifNoneMatch("*"))).status).toBe(201);
  });

  it("refuses an If-None-Match other than * on PUT with 400", async () => {
    const e = newEntity();
    const problem = await expectProblem(await put(e, { v: 1 }, ifNoneMatch('"1"')), 400);
    expect(problem.errors?.[0]?.pointer).toBe("/headers/if-none-match");
    expect((await read(e)).status).toBe(404);
  });

  it("refuses If-None-Match on PATCH with 400", async () => {
    const e = await entityAtVersion2();
    await expectProblem(await mergePatch(e, { x: 1 }, ifNoneMatch("*")), 400);
    expect((await read(e)).version).toBe(2);
  });
});

describe("If-Match on PATCH and DELETE", () => {
  it("patches when the ETag is current", async () => {
    const e = await entityAtVersion2();
    const res = await mergePatch(e, { w: 1 }, ifMatch('"2"'));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ v: 2, w: 1 });
  });

  it("answers 412 with the current ETag for a stale PATCH, and changes nothing", async () => {
    const e = await entityAtVersion2();
    const res = await mergePatch(e, { w: 1 }, ifMatch('"1"'));
    expect(res.headers.get("ETag")).toBe('"2"');
    await expectProblem(res, 412);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: { v: 2 } });
  });

  it("deletes when the ETag is current", async () => {
    const e = await entityAtVersion2();
    expect((await remove(e, ifMatch('"2"'))).status).toBe(204);
    expect((await read(e)).status).toBe(404);
  });

  it("answers 412 with the current ETag for a stale DELETE, and keeps the entity", async () => {
    const e = await entityAtVersion2();
    const res = await remove(e, ifMatch('"1"'));
    expect(res.headers.get("ETag")).toBe('"2"');
    await expectProblem(res, 412);
    expect((await read(e)).version).toBe(2);
  });
});

describe("malformed precondition headers", () => {
  it.each([["1"], ['"abc"'], ['"0"'], [","], [" , "], ["**"], ['"1" "2"']])(
    "refuses If-Match: %s with 400",
    async (value) => {
      const e = await entityAtVersion2();
      const problem = await expectProblem(await put(e, { v: 3 }, ifMatch(value)), 400);
      expect(problem.errors?.[0]?.pointer).toBe("/headers/if-match");
      expect((await read(e)).version).toBe(2);
    },
  );

  it.each([['"2",'], [', "2"'], ['"1", , "2"']])(
    "accepts If-Match: %s, whose empty list elements a recipient must ignore (RFC 9110 §5.6.1.2)",
    async (value) => {
      const e = await entityAtVersion2();
      const res = await put(e, { v: 3 }, ifMatch(value));
      expect(res.status, await res.text()).toBe(200);
      expect((await read(e)).version).toBe(3);
    },
  );

  it("refuses a malformed If-Match on DELETE with 400", async () => {
    const e = await entityAtVersion2();
    await expectProblem(await remove(e, ifMatch("2")), 400);
    expect((await read(e)).version).toBe(2);
  });

  it("refuses a malformed If-None-Match on GET with 400", async () => {
    const e = await entityAtVersion2();
    await expectProblem(await get(e, ifNoneMatch("2")), 400);
  });
});

describe("If-None-Match on GET", () => {
  it("answers 304 with the ETag and no body when the ETag is current", async () => {
    const e = await entityAtVersion2();
    const res = await get(e, ifNoneMatch('"2"'));
    expect(res.status).toBe(304);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Edgestate-Version")).toBe("2");
    expect(await res.text()).toBe("");
  });

  it("answers 304 when any ETag in a list is current, or for *", async () => {
    const e = await entityAtVersion2();
    expect((await get(e, ifNoneMatch('"7", "2"'))).status).toBe(304);
    expect((await get(e, ifNoneMatch("*"))).status).toBe(304);
  });

  it('uses weak comparison, so W/"2" also answers 304', async () => {
    const e = await entityAtVersion2();
    expect((await get(e, ifNoneMatch('W/"2"'))).status).toBe(304);
  });

  it("answers 200 with the document when the ETag is stale", async () => {
    const e = await entityAtVersion2();
    const res = await get(e, ifNoneMatch('"1"'));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ v: 2 });
  });

  it("answers 404 for a missing entity", async () => {
    await expectProblem(await get(newEntity(), ifNoneMatch('"1"')), 404);
  });
});
