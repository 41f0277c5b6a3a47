import { describe, expect, it } from "vitest";
import { run, types } from "./support/driver.ts";

describe("Fail state", () => {
  it("fails the execution with Error and Cause", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", Error: "Oops", Cause: "because" } } });
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "Oops", cause: "because" });
    expect(types(r.events)).toEqual(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]);
    const last = r.events.at(-1);
    expect(last?.type === "ExecutionFailed" && last.executionFailedEventDetails).toEqual({
      error: "Oops",
      cause: "because",
    });
  });

  it("reads ErrorPath and CausePath from the input", async () => {
    const r = await run(
      { StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" } } },
      { e: "Custom.Error", c: "details" },
    );
    expect(r.snapshot).toMatchObject({ error: "Custom.Error", cause: "details" });
  });

  it("omits an unset error and cause", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail" } } });
    const last = r.events.at(-1);
    expect(last?.type === "ExecutionFailed" && last.executionFailedEventDetails).toEqual({});
  });

  it("fails with States.Runtime when ErrorPath is not a string", async () => {
    const r = await run({ StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.e" } } }, { e: 1 });
    expect(r.snapshot.error).toBe("States.Runtime");
  });
});
