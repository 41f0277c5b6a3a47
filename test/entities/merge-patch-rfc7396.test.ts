// RFC 7396 Appendix A, every example, through the HTTP API. The entity's body can be any JSON
// value, and a merge patch that is not an object replaces the target.
import { describe, expect, it } from "vitest";
import { json } from "../support/api";
import { mergePatch, newEntity, put, read } from "../support/entities";

const APPENDIX_A: [original: unknown, patch: unknown, result: unknown][] = [
  [{ a: "b" }, { a: "c" }, { a: "c" }],
  [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  [{ a: "b" }, { a: null }, {}],
  [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
  [{ a: ["b"] }, { a: "c" }, { a: "c" }],
  [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
  [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  [
    ["a", "b"],
    ["c", "d"],
    ["c", "d"],
  ],
  [{ a: "b" }, ["c"], ["c"]],
  [{ a: "foo" }, null, null],
  [{ a: "foo" }, "bar", "bar"],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: "b", c: null }, { a: "b" }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe("RFC 7396 Appendix A through PATCH application/merge-patch+json", () => {
  it("has all 15 examples", () => {
    expect(APPENDIX_A).toHaveLength(15);
  });

  it.each(APPENDIX_A.map(([original, patch, result], i) => ({ n: i + 1, original, patch, result })))(
    "example $n: $original + $patch = $result",
    async ({ original, patch, result }) => {
      const e = newEntity("merge");
      expect((await put(e, original)).status).toBe(201);
      const res = await mergePatch(e, patch);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await json(res)).toEqual(result);
      expect(await read(e)).toEqual({ status: 200, version: 2, body: result });
    },
  );

  it("patches a scalar document by replacing it with an object patch's members", async () => {
    const e = newEntity("merge");
    await put(e, "scalar");
    const res = await mergePatch(e, { a: 1, b: null });
    expect(await json(res)).toEqual({ a: 1 });
  });
});
