import { describe, expect, it } from "vitest";
import { run, types } from "./support/driver.ts";

describe("Succeed state", () => {
  it("ends the execution with its input through InputPath and OutputPath", async () => {
    const r = await run(
      { StartAt: "S", States: { S: { Type: "Succeed", InputPath: "$.a", OutputPath: "$.b" } } },
      { a: { b: 3 } },
    );
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toBe(3);
    expect(types(r.events)).toEqual([
      "ExecutionStarted",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
  });
});
