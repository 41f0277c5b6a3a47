import { describe, expect, it } from "vitest";
import { errorKeys, machine } from "./helpers.ts";

const done = { Type: "Succeed" };

describe("reachability, terminal states and names", () => {
  it("refuses a state that cannot be reached from StartAt", () => {
    expect(errorKeys(machine({ A: { Type: "Pass", End: true }, Orphan: done }))).toEqual([
      "UNREACHABLE_STATE /States/Orphan",
    ]);
  });

  it("counts Catch and Choice targets as reachable", () => {
    const def = machine({
      T: {
        Type: "Task",
        Resource: "http:invoke",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handler" }],
        Next: "C",
      },
      C: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Yes" }], Default: "No" },
      Yes: done,
      No: done,
      Handler: { Type: "Fail" },
    });
    expect(errorKeys(def)).toEqual([]);
  });

  it("refuses a machine that loops forever with no terminal state", () => {
    const def = machine({ A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } });
    expect(errorKeys(def)).toEqual(["MISSING_END_STATE /States"]);
  });

  it("accepts a loop that has a way out through a Choice", () => {
    const def = machine({
      Poll: { Type: "Wait", Seconds: 5, Next: "Check" },
      Check: {
        Type: "Choice",
        Choices: [{ Variable: "$.done", BooleanEquals: true, Next: "Done" }],
        Default: "Poll",
      },
      Done: done,
    });
    expect(errorKeys(def)).toEqual([]);
  });

  it("refuses a state name longer than 80 characters and accepts one of exactly 80", () => {
    const long = "x".repeat(81);
    expect(errorKeys(machine({ [long]: done }))).toEqual([`INVALID_STATE_NAME /States/${long}`]);
    expect(errorKeys(machine({ ["x".repeat(80)]: done }))).toEqual([]);
  });

  it("refuses two states with the same name in different scopes", () => {
    const def = machine({
      M: { Type: "Map", Iterator: { StartAt: "Done", States: { Done: done } }, Next: "Done" },
      Done: done,
    });
    expect(errorKeys(def)).toContain("DUPLICATE_STATE_NAME /States/Done");
  });
});
