import { describe, expect, it } from "vitest";
import { applyInputPath, applyOutputPath } from "../../../src/machine/paths/input-output.ts";
import { context } from "./context-fixture.ts";

describe("applyInputPath", () => {
  const input = { comment: "Example", dataset: { val1: 1, val2: 2 }, items: [1, 2] };

  it("passes the whole input when InputPath is absent", () => {
    expect(applyInputPath(input, undefined)).toEqual({ ok: true, value: input });
  });

  it("gives an empty object when InputPath is null", () => {
    expect(applyInputPath(input, null)).toEqual({ ok: true, value: {} });
  });

  it("selects a node of the input", () => {
    expect(applyInputPath(input, "$.dataset")).toEqual({ ok: true, value: { val1: 1, val2: 2 } });
  });

  it("returns the array of matches for an indefinite path", () => {
    expect(applyInputPath(input, "$.items[*]")).toEqual({ ok: true, value: [1, 2] });
  });

  it("can read the context object", () => {
    expect(applyInputPath(input, "$$.Execution.Input", context)).toEqual({
      ok: true,
      value: { orderId: "o-1" },
    });
  });

  it("fails with States.Runtime naming the path when it matches nothing", () => {
    const result = applyInputPath(input, "$.missing.field");
    expect(result).toMatchObject({ ok: false, error: "States.Runtime" });
    if (!result.ok)
      expect(result.cause).toContain(
        "Invalid path '$.missing.field' : No results for path: $['missing']['field']",
      );
  });
});

describe("applyOutputPath", () => {
  const output = { a: { b: 1 } };

  it("passes everything when absent, {} when null, the node otherwise", () => {
    expect(applyOutputPath(output, undefined)).toEqual({ ok: true, value: output });
    expect(applyOutputPath(output, null)).toEqual({ ok: true, value: {} });
    expect(applyOutputPath(output, "$.a.b")).toEqual({ ok: true, value: 1 });
  });

  it("fails with States.Runtime when the path matches nothing", () => {
    expect(applyOutputPath(output, "$.c")).toMatchObject({ ok: false, error: "States.Runtime" });
  });
});
