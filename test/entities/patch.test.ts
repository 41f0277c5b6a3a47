import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { jsonPatch, mergePatch, newEntity, put, read, remove } from "../support/entities";
import { expectProblem } from "../support/problem";

/** `{"x":{"x":…{"x":0}}}`, `depth` levels deep. */
const nest = (depth: number): unknown => (depth === 0 ? 0 : { x: nest(depth - 1) });

describe("PATCH with application/merge-patch+json (RFC 7396)", () => {
  it("adds, replaces and removes members and returns the new document and version", async () => {
    const e = newEntity();
    await put(e, { keep: 1, change: "old", drop: true, inner: { a: 1, b: 2 } });
    const res = await mergePatch(e, { change: "new", drop: null, added: [1], inner: { b: null, c: 3 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(res.headers.get("Edgestate-Version")).toBe("2");
    expect(res.headers.get("Last-Modified")).toBeTruthy();
    expect(res.headers.has("Location")).toBe(false);
    const expected = { keep: 1, change: "new", added: [1], inner: { a: 1, c: 3 } };
    expect(await json(res)).toEqual(expected);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: expected });
  });

  it("accepts a charset parameter on the media type", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await api("PATCH", e.path, {
      body: { b: 2 },
      contentType: "application/merge-patch+json; charset=utf-8",
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ a: 1, b: 2 });
  });

  it("treats keys such as __proto__ as plain data", async () => {
    const e = newEntity();
    await put(e, {});
    const res = await api("PATCH", e.path, {
      raw: '{"__proto__":{"polluted":true},"constructor":1}',
      contentType: "application/merge-patch+json",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"__proto__":{"polluted":true},"constructor":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("PATCH with application/json-patch+json (RFC 6902)", () => {
  it("applies every operation in order and returns the result", async () => {
    const e = newEntity();
    await put(e, { list: [1, 2], a: { b: "c" }, gone: 0 });
    const res = await jsonPatch(e, [
      { op: "add", path: "/list/-", value: 3 },
      { op: "remove", path: "/gone" },
      { op: "replace", path: "/a/b", value: "d" },
      { op: "copy", from: "/a", path: "/copy" },
      { op: "move", from: "/list/0", path: "/first" },
      { op: "test", path: "/first", value: 1 },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    const expected = { list: [2, 3], a: { b: "d" }, copy: { b: "d" }, first: 1 };
    expect(await json(res)).toEqual(expected);
    expect(await read(e)).toEqual({ status: 200, version: 2, body: expected });
  });

  it("is atomic: a failing test after successful operations changes nothing (409)", async () => {
    const e = newEntity();
    await put(e, { n: 1, s: "x" });
    const res = await jsonPatch(e, [
      { op: "replace", path: "/n", value: 2 },
      { op: "add", path: "/new", value: true },
      { op: "test", path: "/s", value: "not x" },
    ]);
    const problem = await expectProblem(res, 409);
    expect(problem.detail).toContain("test");
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { n: 1, s: "x" } });
  });

  it("is atomic: an operation on a missing path after successful ones changes nothing (409)", async () => {
    const e = newEntity();
    await put(e, [1, 2, 3]);
    const res = await jsonPatch(e, [
      { op: "remove", path: "/0" },
      { op: "remove", path: "/9" },
    ]);
    await expectProblem(res, 409);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: [1, 2, 3] });
  });

  it("can replace the whole document with a scalar", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await jsonPatch(e, [{ op: "replace", path: "", value: "scalar" }]);
    expect(res.status).toBe(200);
    expect(await json(res)).toBe("scalar");
  });

  it("applies an empty patch as a new version with the same document", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await jsonPatch(e, []);
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(await json(res)).toEqual({ a: 1 });
  });

  it.each([
    ["a patch that is not an array", { op: "add", path: "/a", value: 1 }, ""],
    ["an operation that is not an object", [1], "/0"],
    ["an unknown op", [{ op: "spam", path: "/a" }], "/0/op"],
    ["a path that is not a pointer", [{ op: "add", path: "a", value: 1 }], "/0/path"],
    ["a missing value", [{ op: "add", path: "/a" }], "/0/value"],
    ["a missing from", [{ op: "move", path: "/a" }], "/0/from"],
    ["a bad ~ escape", [{ op: "remove", path: "/a~2" }], "/0/path"],
  ])("refuses %s with 400 naming the bad field", async (_, patch, pointer) => {
    const e = newEntity();
    await put(e, { a: 1 });
    const problem = await expectProblem(await jsonPatch(e, patch), 400);
    expect(problem.errors?.map((x) => x.pointer)).toContain(pointer);
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: 1 } });
  });

  it("refuses a result nested deeper than 64 levels with 409 and changes nothing", async () => {
    const e = newEntity();
    await put(e, nest(40));
    const path = `${"/x".repeat(39)}/y`;
    await expectProblem(await jsonPatch(e, [{ op: "add", path, value: nest(30) }]), 409);
    expect((await read(e)).version).toBe(1);
  });
});

describe("PATCH errors", () => {
  it.each([["application/json"], ["text/plain"], ["application/x-www-form-urlencoded"]])(
    "answers 415 with Accept-Patch for %s",
    async (contentType) => {
      const e = newEntity();
      await put(e, { a: 1 });
      const res = await api("PATCH", e.path, { raw: '{"a":2}', contentType });
      expect(res.headers.get("Accept-Patch")).toBe(
        "application/merge-patch+json, application/json-patch+json",
      );
      await expectProblem(res, 415);
      expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: 1 } });
    },
  );

  it("answers 415 with Accept-Patch when there is no Content-Type", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await api("PATCH", e.path);
    expect(res.headers.get("Accept-Patch")).toContain("application/merge-patch+json");
    await expectProblem(res, 415);
  });

  it("answers 400 for a patch body that is not valid JSON", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    const res = await api("PATCH", e.path, { raw: "{nope", contentType: "application/merge-patch+json" });
    await expectProblem(res, 400);
    expect((await read(e)).version).toBe(1);
  });

  it("answers 404 for a merge patch on a missing entity and creates nothing", async () => {
    const e = newEntity();
    await expectProblem(await mergePatch(e, { a: 1 }), 404);
    expect((await read(e)).status).toBe(404);
  });

  it("answers 404 for a JSON Patch on a missing entity", async () => {
    await expectProblem(await jsonPatch(newEntity(), [{ op: "add", path: "/a", value: 1 }]), 404);
  });

  it("answers 404 for a patch on a deleted entity", async () => {
    const e = newEntity();
    await put(e, { a: 1 });
    await remove(e);
    await expectProblem(await mergePatch(e, { a: 2 }), 404);
  });

  it("answers 413 when the patched document would exceed MAX_BODY_BYTES, and changes nothing", async () => {
    const e = newEntity();
    const half = "x".repeat(150_000);
    await put(e, { a: half });
    await expectProblem(await mergePatch(e, { b: half }), 413);
    expect((await read(e)).version).toBe(1);
  });

  // Each copy of the root into itself doubles the document: 20 of them would build ~100 MB (and
  // 28 kill workerd) if only the result were measured. The detail names the operation that was
  // refused, so the test shows the refusal came there, before the rest were applied.
  it("refuses a JSON Patch at the operation that outgrows MAX_BODY_BYTES (413), not after applying all of them", async () => {
    const e = newEntity();
    await put(e, { a: "x".repeat(100) });
    const doublings = Array.from({ length: 20 }, (_, i) => ({ op: "copy", from: "", path: `/k${i}` }));
    const problem = await expectProblem(await jsonPatch(e, doublings), 413);
    // {"a":"x…"} is 110 bytes; after copy n it is about 110 × 2^(n+1): copy 11 passes 256 KiB.
    expect(problem.detail).toBe("operation 11 (copy): the patched document would exceed 262144 bytes");
    expect(await read(e)).toEqual({ status: 200, version: 1, body: { a: "x".repeat(100) } });
  });

  it("applies a JSON Patch whose document stays within MAX_BODY_BYTES at every step", async () => {
    const e = newEntity();
    const third = "x".repeat(80_000);
    await put(e, { a: third });
    const res = await jsonPatch(e, [
      { op: "copy", from: "/a", path: "/b" },
      { op: "copy", from: "/b", path: "/c" },
      { op: "remove", path: "/a" },
      { op: "move", from: "/b", path: "/a" },
      { op: "add", path: "/c", value: "small" },
      { op: "copy", from: "/a", path: "/d" },
    ]);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ c: "small", a: third, d: third });
  });

  it("refuses a JSON Patch whose document passes MAX_BODY_BYTES midway, even if the result would fit (413)", async () => {
    const e = newEntity();
    const half = "x".repeat(150_000);
    await put(e, { a: half });
    const res = await jsonPatch(e, [
      { op: "copy", from: "/a", path: "/b" },
      { op: "remove", path: "/a" },
    ]);
    const problem = await expectProblem(res, 413);
    expect(problem.detail).toBe("operation 0 (copy): the patched document would exceed 262144 bytes");
    expect((await read(e)).version).toBe(1);
  });
});
