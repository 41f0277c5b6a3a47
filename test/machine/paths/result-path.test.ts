import { describe, expect, it } from "vitest";
import { applyResultPath } from "../../../src/machine/paths/result-path.ts";

describe("applyResultPath", () => {
  const input = { comment: "An input", details: { id: 7 }, list: [1, 2, 3] };

  it("replaces the input with the result when ResultPath is absent ($)", () => {
    expect(applyResultPath(input, { r: 1 }, undefined)).toEqual({ ok: true, value: { r: 1 } });
    expect(applyResultPath(input, "x", "$")).toEqual({ ok: true, value: "x" });
  });

  it("discards the result and passes the input through when ResultPath is null", () => {
    expect(applyResultPath(input, { r: 1 }, null)).toEqual({ ok: true, value: input });
  });

  it("writes the result into a copy of the input (the spec's example)", () => {
    const result = applyResultPath({ master: { detail: [1, 2, 3] } }, 6, "$.master.detail");
    expect(result).toEqual({ ok: true, value: { master: { detail: 6 } } });
  });

  it("creates missing intermediate objects", () => {
    expect(applyResultPath(input, "hi", "$.taskresult.deep.value")).toEqual({
      ok: true,
      value: { ...input, taskresult: { deep: { value: "hi" } } },
    });
  });

  it("overwrites an existing array element by index", () => {
    expect(applyResultPath(input, 9, "$.list[1]")).toEqual({
      ok: true,
      value: { ...input, list: [1, 9, 3] },
    });
  });

  it("never mutates the input", () => {
    const original = structuredClone(input);
    applyResultPath(input, 1, "$.details.id");
    applyResultPath(input, 1, "$.list[0]");
    expect(input).toEqual(original);
  });

  it("fails with States.ResultPathMatchFailure when writing through a non-object", () => {
    const result = applyResultPath(input, 1, "$.comment.inner");
    expect(result).toMatchObject({ ok: false, error: "States.ResultPathMatchFailure" });
    if (!result.ok) expect(result.cause).toContain("$.comment.inner");
  });

  it("fails when the input is not an object and ResultPath names a field", () => {
    expect(applyResultPath("text", 1, "$.a")).toMatchObject({
      ok: false,
      error: "States.ResultPathMatchFailure",
    });
    expect(applyResultPath([1], 1, "$.a")).toMatchObject({
      ok: false,
      error: "States.ResultPathMatchFailure",
    });
  });

  it("fails for an index past the end of an array", () => {
    expect(applyResultPath(input, 1, "$.list[3]")).toMatchObject({
      ok: false,
      error: "States.ResultPathMatchFailure",
    });
  });

  it("refuses a path that is not a reference path", () => {
    expect(applyResultPath(input, 1, "$.list[*]")).toMatchObject({
      ok: false,
      error: "States.ResultPathMatchFailure",
    });
    expect(applyResultPath(input, 1, "$$.Execution")).toMatchObject({
      ok: false,
      error: "States.ResultPathMatchFailure",
    });
  });
});
