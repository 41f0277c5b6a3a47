import { describe, expect, it } from "vitest";
import { applyPayloadTemplate } from "../../../src/machine/paths/payload-template.ts";
import { context } from "./context-fixture.ts";

describe("applyPayloadTemplate", () => {
  it("builds the spec's Parameters example", () => {
    const input = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };
    const template = {
      flagged: true,
      parts: { "first.$": "$.vals[0]", "last3.$": "$.vals[3:]" },
      "state.$": "$$.State.Name",
      "formatted.$": "States.Format('Entered {} with {}', $$.State.Name, $.flagged)",
    };
    expect(applyPayloadTemplate(template, input, context)).toEqual({
      ok: true,
      value: {
        flagged: true,
        parts: { first: 0, last3: [30, 40, 50] },
        state: "Build",
        formatted: "Entered Build with 7",
      },
    });
  });

  it("reads the context object with $$ paths, including Map item and task token", () => {
    const template = {
      "index.$": "$$.Map.Item.Index",
      "item.$": "$$.Map.Item.Value",
      "token.$": "$$.Task.Token",
      "execution.$": "$$.Execution.Id",
      "all.$": "$$.StateMachine",
    };
    expect(applyPayloadTemplate(template, {}, context)).toEqual({
      ok: true,
      value: {
        index: 2,
        item: { sku: "x" },
        token: "token-123",
        execution: "arn:edgestate:execution:orders:run-1",
        all: { Id: "arn:edgestate:machine:orders", Name: "orders" },
      },
    });
  });

  it("processes objects inside arrays and copies other values as they are", () => {
    const template = { list: [{ "v.$": "$.a" }, "$.a", 3, null, [{ "w.$": "$" }]] };
    expect(applyPayloadTemplate(template, { a: 1 }, context)).toEqual({
      ok: true,
      value: { list: [{ v: 1 }, "$.a", 3, null, [{ w: { a: 1 } }]] },
    });
  });

  it("passes a template without dynamic fields through unchanged", () => {
    const template = { a: { b: [1, "two"] }, c: "$.not-a-path-without-suffix" };
    expect(applyPayloadTemplate(template, { x: 1 }, context)).toEqual({ ok: true, value: template });
  });

  it("keeps a selected null value", () => {
    expect(applyPayloadTemplate({ "n.$": "$.n" }, { n: null }, context)).toEqual({
      ok: true,
      value: { n: null },
    });
  });

  it("fails with States.Runtime when a path matches nothing, as Step Functions does", () => {
    const result = applyPayloadTemplate({ nested: { "x.$": "$.missing" } }, { a: 1 }, context);
    expect(result).toMatchObject({ ok: false, error: "States.Runtime" });
    if (!result.ok) {
      expect(result.cause).toBe(
        "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'",
      );
    }
  });

  it("can report the spec's States.ParameterPathFailure instead when asked", () => {
    const result = applyPayloadTemplate({ "x.$": "$.missing" }, {}, context, {
      pathFailureError: "States.ParameterPathFailure",
    });
    expect(result).toMatchObject({ ok: false, error: "States.ParameterPathFailure" });
  });

  it("fails when a .$ field holds something other than a path or intrinsic", () => {
    expect(applyPayloadTemplate({ "x.$": 3 }, {}, context)).toMatchObject({
      ok: false,
      error: "States.Runtime",
    });
    expect(applyPayloadTemplate({ "x.$": "nope" }, {}, context)).toMatchObject({
      ok: false,
      error: "States.Runtime",
    });
  });

  it("propagates an intrinsic failure", () => {
    expect(applyPayloadTemplate({ "x.$": "States.ArrayLength($.a)" }, { a: 1 }, context)).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });

  it("passes the injected random source to intrinsics", () => {
    const result = applyPayloadTemplate({ "n.$": "States.MathRandom(0, 10)" }, {}, context, {
      random: () => 0.55,
    });
    expect(result).toEqual({ ok: true, value: { n: 5 } });
  });
});
