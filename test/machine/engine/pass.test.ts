import { describe, expect, it } from "vitest";
import { run, types } from "./support/driver.ts";

describe("Pass state", () => {
  it("passes its input through unchanged by default", async () => {
    const r = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, { a: 1 });
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toEqual({ a: 1 });
    expect(types(r.events)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("places Result at ResultPath inside the raw input", async () => {
    const r = await run(
      { StartAt: "P", States: { P: { Type: "Pass", Result: { x: 1 }, ResultPath: "$.result", End: true } } },
      { a: 1 },
    );
    expect(r.snapshot.output).toEqual({ a: 1, result: { x: 1 } });
  });

  it("builds the result from Parameters with .$ paths and the context object", async () => {
    const r = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Pass",
            Parameters: {
              "v.$": "$.a",
              "name.$": "$$.State.Name",
              "exec.$": "$$.Execution.Name",
              fixed: true,
            },
            End: true,
          },
        },
      },
      { a: 7 },
    );
    expect(r.snapshot.output).toEqual({ v: 7, name: "P", exec: "exec-1", fixed: true });
  });

  it("discards the result with ResultPath null", async () => {
    const r = await run(
      { StartAt: "P", States: { P: { Type: "Pass", Result: "gone", ResultPath: null, End: true } } },
      { keep: true },
    );
    expect(r.snapshot.output).toEqual({ keep: true });
  });

  it("chains states in one batch without waiting", async () => {
    const r = await run({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Result: { x: 1 }, Next: "B" },
        B: { Type: "Pass", Parameters: { "b.$": "$.x" }, End: true },
      },
    });
    expect(r.snapshot.output).toEqual({ b: 1 });
    expect(r.wakes).toEqual([]);
  });

  it("fails with States.ResultPathMatchFailure when ResultPath cannot be written into the input", async () => {
    const r = await run(
      { StartAt: "P", States: { P: { Type: "Pass", Result: 1, ResultPath: "$.b", End: true } } },
      5,
    );
    expect(r.snapshot.status).toBe("FAILED");
    expect(r.snapshot.error).toBe("States.ResultPathMatchFailure");
  });

  it("fails with States.Runtime when InputPath selects nothing", async () => {
    const r = await run(
      { StartAt: "P", States: { P: { Type: "Pass", InputPath: "$.missing", End: true } } },
      {},
    );
    expect(r.snapshot.status).toBe("FAILED");
    expect(r.snapshot.error).toBe("States.Runtime");
  });
});
