import { describe, expect, it } from "vitest";
import { errorKeys, warningKeys, withState } from "./helpers.ts";

const pass = (fields: Record<string, unknown>) => withState({ Type: "Pass", ...fields, Next: "Done" });
const S = "/States/S";

describe("paths", () => {
  it("accepts JSONPath in InputPath and OutputPath, and null", () => {
    for (const path of [
      "$",
      "$.a.b",
      "$.a[0]",
      "$.a[-1]",
      "$..name",
      "$.a[*].b",
      "$.a[1:3]",
      "$.a[0,1]",
      "$['a b']",
      "$.a[?(@.x > 1)]",
      "$$.Execution.Input",
      "$.with-hyphen",
    ]) {
      expect(errorKeys(pass({ InputPath: path, OutputPath: path }))).toEqual([]);
    }
    expect(errorKeys(pass({ InputPath: null, OutputPath: null }))).toEqual([]);
  });

  it("refuses a path that does not start with $ or is malformed", () => {
    for (const path of ["a.b", "bug$.a", "$...", "$.a[", "$.a..", "$.a b"]) {
      expect(errorKeys(pass({ InputPath: path }))).toEqual([`INVALID_JSONPATH ${S}/InputPath`]);
    }
    expect(errorKeys(pass({ OutputPath: 3 }))).toEqual([`INVALID_TYPE ${S}/OutputPath`]);
  });

  it("requires ResultPath to be a reference path into the input, or null", () => {
    expect(errorKeys(pass({ ResultPath: "$.result" }))).toEqual([]);
    expect(errorKeys(pass({ ResultPath: null }))).toEqual([]);
    for (const path of [".guid", "..guid", "()", "$...", "$.a[*]", "$..a", "$.a[0:1]"]) {
      expect(errorKeys(pass({ ResultPath: path }))).toEqual([`INVALID_REFERENCE_PATH ${S}/ResultPath`]);
    }
  });

  it("refuses a ResultPath that writes into the context object or a variable", () => {
    expect(errorKeys(pass({ ResultPath: "$$.Execution" }))).toEqual([
      `INVALID_REFERENCE_PATH ${S}/ResultPath`,
    ]);
    expect(errorKeys(pass({ ResultPath: "$foo" }))).toEqual([`INVALID_REFERENCE_PATH ${S}/ResultPath`]);
  });
});

describe("payload templates", () => {
  it("accepts static values, paths, context paths and intrinsic calls under .$ keys", () => {
    const Parameters = {
      a: 1,
      nested: { "b.$": "$.b", list: [{ "c.$": "$$.Map.Item.Value" }] },
      "id.$": "States.UUID()",
    };
    expect(errorKeys(pass({ Parameters }))).toEqual([]);
  });

  it("refuses a .$ value that is neither a path nor an intrinsic call", () => {
    expect(errorKeys(pass({ Parameters: { "x.$": "ipsum" } }))).toEqual([
      `INVALID_PAYLOAD_TEMPLATE ${S}/Parameters/x.$`,
    ]);
    expect(errorKeys(pass({ Parameters: { "x.$": 3 } }))).toEqual([
      `INVALID_PAYLOAD_TEMPLATE ${S}/Parameters/x.$`,
    ]);
  });

  it("refuses x beside x.$, which would produce the same key", () => {
    expect(errorKeys(pass({ Parameters: { deep: [{ x: 1, "x.$": "$.x" }] } }))).toEqual([
      `PAYLOAD_TEMPLATE_CONFLICT ${S}/Parameters/deep/0/x.$`,
    ]);
  });

  it("checks ResultSelector on Task and requires it to be an object", () => {
    const task = (ResultSelector: unknown) =>
      withState({ Type: "Task", Resource: "http:invoke", ResultSelector, Next: "Done" });
    expect(errorKeys(task({ "body.$": "$.ResponseBody" }))).toEqual([]);
    expect(errorKeys(task({ "body.$": "Body" }))).toEqual([
      `INVALID_PAYLOAD_TEMPLATE ${S}/ResultSelector/body.$`,
    ]);
    expect(errorKeys(task(["x"]))).toEqual([`INVALID_TYPE ${S}/ResultSelector`]);
  });
});

describe("intrinsic calls", () => {
  const call = (expr: string) => errorKeys(pass({ Parameters: { "v.$": expr } }));
  const P = `${S}/Parameters/v.$`;

  it("accepts well-formed calls, nested calls and escaped quotes", () => {
    for (const expr of [
      "States.Format('Hi {}\\'s', $.name)",
      "States.MathAdd(States.ArrayLength($.a), -1)",
      "States.Array('a', 1, true, null, $.x)",
      "States.MathRandom(1, 10)",
      "States.JsonMerge($.a, $.b, false)",
    ]) {
      expect(call(expr)).toEqual([]);
    }
  });

  it("refuses unknown functions, wrong argument counts and unterminated calls", () => {
    for (const expr of [
      "States.Nope($.a)",
      "States.UUID(1)",
      "States.ArrayLength()",
      "States.Format('x'",
      "States.Format('x') trailing",
    ]) {
      expect(call(expr)).toEqual([`INVALID_INTRINSIC ${P}`]);
    }
  });

  it("refuses literal arguments of the wrong type", () => {
    expect(call("States.MathAdd(1, '-1')")).toEqual([`INVALID_INTRINSIC ${P}`]);
    expect(call("States.ArrayLength('abc')")).toEqual([`INVALID_INTRINSIC ${P}`]);
    expect(call("States.JsonMerge($.a, $.b, true)")).toEqual([`INVALID_INTRINSIC ${P}`]);
    expect(call("States.Hash($.data, 'SHA-999')")).toEqual([`INVALID_INTRINSIC ${P}`]);
    expect(call("States.Hash($.data, 'SHA-256')")).toEqual([]);
  });

  it("refuses a malformed path argument", () => {
    expect(call("States.ArrayLength($..)")).toEqual([`INVALID_INTRINSIC ${P}`]);
  });
});

describe("expressions the engine cannot evaluate yet", () => {
  it("warns, without refusing, on spec-valid script expressions; reads variables", () => {
    const def = pass({
      OutputPath: "$[(@.length-1)].bar",
      Parameters: { "v.$": "$myVariable.field" },
      Assign: { myVariable: 1 },
    });
    expect(errorKeys(def)).toEqual([]);
    expect(warningKeys(def)).toEqual([`ENGINE_UNSUPPORTED_EXPRESSION ${S}/OutputPath`]);
  });
});
