import { describe, expect, it } from "vitest";
import type { InvokeTaskEffect } from "../../../src/machine/effects.ts";
import { run } from "./support/driver.ts";

describe("input and output processing order", () => {
  it("applies InputPath → Parameters → task → ResultSelector → ResultPath → OutputPath", async () => {
    const seen: InvokeTaskEffect[] = [];
    const r = await run(
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "arn:aws:states:::http:invoke",
            InputPath: "$.order",
            Parameters: { "id.$": "$.id", "start.$": "$$.Execution.StartTime" },
            ResultSelector: { "status.$": "$.StatusCode" },
            ResultPath: "$.call",
            OutputPath: "$.call",
            End: true,
          },
        },
      },
      { order: { id: "o-1", extra: true }, other: 1 },
      {
        tasks: (call) => {
          seen.push(call);
          return { output: { StatusCode: 200, ResponseBody: { big: true } } };
        },
      },
    );
    expect(seen[0]?.parameters).toEqual({ id: "o-1", start: "2026-01-01T12:00:00.000Z" });
    expect(r.snapshot.output).toEqual({ status: 200 });
  });

  it("combines the result with the raw input, not the InputPath selection", async () => {
    const r = await run(
      {
        StartAt: "P",
        States: { P: { Type: "Pass", InputPath: "$.a", ResultPath: "$.copy", End: true } },
      },
      { a: { n: 1 }, b: 2 },
    );
    expect(r.snapshot.output).toEqual({ a: { n: 1 }, b: 2, copy: { n: 1 } });
  });

  it("treats InputPath null as an empty object and OutputPath null as an empty output", async () => {
    const r = await run(
      {
        StartAt: "A",
        States: {
          A: { Type: "Pass", InputPath: null, ResultPath: "$.seen", Next: "B" },
          B: { Type: "Pass", OutputPath: null, End: true },
        },
      },
      { a: 1 },
    );
    expect(r.snapshot.output).toEqual({});
    const exitedA = r.events.find((e) => e.type === "PassStateExited");
    expect(exitedA?.type === "PassStateExited" && JSON.parse(exitedA.stateExitedEventDetails.output)).toEqual(
      {
        a: 1,
        seen: {},
      },
    );
  });
});
