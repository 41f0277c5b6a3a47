import { describe, expect, it } from "vitest";
import { errorKeys, machine } from "./helpers.ts";

const done = { Type: "Succeed" };

describe("Next and End", () => {
  it("refuses a state with both Next and End", () => {
    expect(errorKeys(machine({ A: { Type: "Pass", Next: "B", End: true }, B: done }))).toEqual([
      "NEXT_AND_END /States/A/End",
    ]);
  });

  it("refuses a transitioning state with neither Next nor End", () => {
    expect(errorKeys(machine({ A: { Type: "Wait", Seconds: 1 }, B: done }))).toContain(
      "NEXT_OR_END_REQUIRED /States/A",
    );
  });

  it("refuses End: false, which would silently mean neither", () => {
    expect(errorKeys(machine({ A: { Type: "Pass", End: false } }))).toContain("INVALID_VALUE /States/A/End");
  });

  it("refuses a Next that names no state", () => {
    expect(errorKeys(machine({ A: { Type: "Pass", Next: "Nope" }, B: done }))).toContain(
      "MISSING_TRANSITION_TARGET /States/A/Next",
    );
  });

  it("refuses Next or End on Succeed, Fail and Choice states", () => {
    expect(errorKeys(machine({ A: { Type: "Succeed", End: true } }))).toEqual([
      "UNKNOWN_FIELD /States/A/End",
    ]);
    expect(errorKeys(machine({ A: { Type: "Fail", Next: "A" } }))).toEqual(["UNKNOWN_FIELD /States/A/Next"]);
    const choice = { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }], End: true };
    expect(errorKeys(machine({ A: choice, B: done }))).toEqual(["UNKNOWN_FIELD /States/A/End"]);
  });

  it("refuses a Default that names no state", () => {
    const choice = {
      Type: "Choice",
      Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }],
      Default: "Nope",
    };
    expect(errorKeys(machine({ A: choice, B: done }))).toEqual([
      "MISSING_TRANSITION_TARGET /States/A/Default",
    ]);
  });

  it("refuses a non-string Next", () => {
    expect(errorKeys(machine({ A: { Type: "Pass", Next: 1 } }))).toContain("INVALID_TYPE /States/A/Next");
  });
});
