import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, types } from "./support/driver.ts";

// JSONPath behaviours found to differ from executions recorded on AWS Step Functions.
const def = (States: Record<string, unknown>) =>
  ({ StartAt: Object.keys(States)[0], States }) as unknown as StateMachineDefinition;
const one = (state: Record<string, unknown>) => def({ A: { ...state, End: true } });

describe("JSONPath as AWS runs it", () => {
  it("the context object has Execution.RoleArn and Execution.RedriveCount", async () => {
    const r = await run(
      one({
        Type: "Pass",
        Parameters: { "role.$": "$$.Execution.RoleArn", "redrives.$": "$$.Execution.RedriveCount" },
      }),
    );
    expect(r.snapshot.output).toEqual({ role: "arn:edgestate:iam:::role/edgestate-execution", redrives: 0 });
  });

  it("InputPath and OutputPath may read $$ itself", async () => {
    const input = await run(one({ Type: "Pass", InputPath: "$$", OutputPath: "$.State" }), { a: 1 });
    expect(input.snapshot.output).toMatchObject({ Name: "A", RetryCount: 0 });
    const output = await run(one({ Type: "Pass", Result: 1, OutputPath: "$$.Execution.Input" }), { a: 1 });
    expect(output.snapshot.output).toEqual({ a: 1 });
  });

  it("States.StringToJson of an empty or blank string is null", async () => {
    const r = await run(
      one({
        Type: "Pass",
        Parameters: { "empty.$": "States.StringToJson($.e)", "blank.$": "States.StringToJson($.b)" },
      }),
      { e: "", b: "  \n " },
    );
    expect(r.snapshot.output).toEqual({ empty: null, blank: null });
  });

  it("bracket-notation names unescape quotes and control escapes as Jayway does", async () => {
    const r = await run(
      one({
        Type: "Pass",
        Parameters: {
          "single.$": "$['it\\'s']",
          "double.$": '$["say \\"hi\\""]',
          "newline.$": "$['a\\nb']",
          "unicode.$": "$['\\u00e9']",
        },
      }),
      { "it's": 1, 'say "hi"': 2, "a\nb": 3, é: 4 },
    );
    expect(r.snapshot.output).toEqual({ single: 1, double: 2, newline: 3, unicode: 4 });
  });

  it("runs the legacy Map form: Iterator, with Parameters as the item selector", async () => {
    const r = await run(
      one({
        Type: "Map",
        ItemsPath: "$.xs",
        Parameters: { "v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k" },
        Iterator: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
      }),
      { xs: ["a", "b"], k: 1 },
    );
    expect(r.snapshot.output).toEqual([
      { v: "a", i: 0, k: 1 },
      { v: "b", i: 1, k: 1 },
    ]);
  });

  it("a Map state that Retry runs again starts again: MapStateStarted per attempt", async () => {
    let calls = 0;
    const r = await run(
      def({
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "T",
            States: { T: { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true } },
          },
          Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      }),
      [1],
      { tasks: () => (calls++ === 0 ? { error: "Flaky" } : { output: "ok" }) },
    );
    expect(r.snapshot.output).toEqual(["ok"]);
    expect(types(r.events).filter((t) => t.startsWith("Map"))).toEqual([
      "MapStateEntered",
      "MapStateStarted",
      "MapIterationStarted",
      "MapIterationFailed",
      "MapStateFailed",
      "MapStateStarted",
      "MapIterationStarted",
      "MapIterationSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
    ]);
  });
});
