import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, MAX_CURSOR_CHARS } from "../../../src/core/indexes/cursor";
import { definitionProblems } from "../../../src/core/indexes/definition";
import { planQuery } from "../../../src/core/indexes/query";
import { encodeScalar } from "../../../src/core/indexes/scalar";

const def = { keys: ["/customer", "/status"], sort: "/createdAt" };

describe("index definitions", () => {
  it.each([
    [{ keys: [], sort: null }, "/keys"],
    [{ keys: ["/a", "/b", "/c", "/d"], sort: null }, "/keys"],
    [{ keys: ["a"], sort: null }, "/keys/0"],
    [{ keys: [""], sort: null }, "/keys/0"],
    [{ keys: ["/a", "/a"], sort: null }, "/keys/1"],
    [{ keys: ["/a~2"], sort: null }, "/keys/0"],
    [{ keys: ["/a"], sort: "/a" }, "/sort"],
    [{ keys: ["/a"], sort: "b" }, "/sort"],
    [{ keys: [`/${"x".repeat(300)}`], sort: null }, "/keys/0"],
  ])("refuses %j at %s", (definition, pointer) => {
    expect(definitionProblems(definition).map((p) => p.pointer)).toContain(pointer);
  });

  it("accepts 1–3 distinct pointers and a sort pointer apart from them", () => {
    expect(definitionProblems({ keys: ["/a/0", "/b~1c", "/~0d"], sort: "/e" })).toEqual([]);
  });
});

describe("query plans", () => {
  const plan = (request: Parameters<typeof planQuery>[2]) => planQuery("by-customer", def, request);
  const pointers = (request: Parameters<typeof planQuery>[2]) => {
    const p = plan(request);
    return p.ok ? [] : (p.errors ?? []).map((e) => e.pointer);
  };

  it("takes the keys in the definition's order, with defaults", () => {
    const p = plan({ where: { "/status": "open", "/customer": "c-42" } });
    expect(p).toMatchObject({
      ok: true,
      value: { keys: ["c-42", "open"], order: "asc", limit: 100, include: "ids" },
    });
  });

  it("names every problem with a pointer into the body", () => {
    expect(pointers({ where: { "/customer": "c-42" } })).toEqual(["/where"]);
    expect(pointers({ where: { "/customer": "c-42", "/status": ["open"] } })).toEqual(["/where/~1status"]);
    expect(pointers({ where: { "/customer": "c", "/status": "o", "/extra": 1 } })).toEqual([
      "/where/~1extra",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: { between: 1 } })).toEqual([
      "/range/between",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: { gte: 1, lt: "z" } })).toEqual([
      "/range/lt",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: { beginsWith: 1 } })).toEqual([
      "/range/beginsWith",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: { gt: 1, gte: 2 } })).toEqual([
      "/range",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: {} })).toEqual(["/range"]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, range: { gt: { a: 1 } } })).toEqual([
      "/range/gt",
    ]);
    expect(pointers({ where: { "/customer": "c", "/status": "o" }, cursor: "nope!" })).toEqual(["/cursor"]);
  });

  it("refuses a range on an index without a sort pointer", () => {
    const p = planQuery("plain", { keys: ["/a"], sort: null }, { where: { "/a": 1 }, range: { gt: 1 } });
    expect(p.ok ? [] : p.errors).toEqual([
      { pointer: "/range", message: expect.stringContaining("no sort") },
    ]);
  });

  it("keeps a range inside the kind of its bounds", () => {
    const p = plan({ where: { "/customer": "c", "/status": "o" }, range: { gte: 5 } });
    if (!p.ok) throw new Error(p.detail);
    expect(p.value.from).toEqual({ value: encodeScalar(5), inclusive: true });
    expect(p.value.to).toEqual({ value: Uint8Array.of(0x05), inclusive: false });
  });

  it("takes only cursors issued for the same index and order", () => {
    const cursor = encodeCursor({ index: "by-customer", order: "desc", sort: encodeScalar("x"), id: "o1" });
    expect(decodeCursor(cursor, "by-customer", "desc")).toEqual({
      ok: true,
      sort: encodeScalar("x"),
      id: "o1",
    });
    expect(decodeCursor(cursor, "by-customer", "asc").ok).toBe(false);
    expect(decodeCursor(cursor, "other", "desc").ok).toBe(false);
    expect(decodeCursor(cursor.slice(0, -3), "by-customer", "desc").ok).toBe(false);
  });

  it("holds a sort value as long as a document, base64url once (about 4/3 of it)", () => {
    const sort = encodeScalar("s".repeat(1_000_000));
    const cursor = encodeCursor({ index: "by-customer", order: "asc", sort, id: "o1" });
    expect(cursor.length).toBeLessThan((sort.length * 4) / 3 + 100);
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_CHARS);
    expect(decodeCursor(cursor, "by-customer", "asc")).toEqual({ ok: true, sort, id: "o1" });
  });

  it("still takes a cursor issued before version 2 (the sort value base64url inside base64url)", () => {
    const version1 = "WzEsImJ5LWN1c3RvbWVyIiwiZGVzYyIsIkJYZyIsIm8xIl0"; // [1,"by-customer","desc","BXg","o1"]
    expect(decodeCursor(version1, "by-customer", "desc")).toEqual({
      ok: true,
      sort: encodeScalar("x"),
      id: "o1",
    });
  });
});
