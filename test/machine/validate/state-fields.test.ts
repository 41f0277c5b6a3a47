import { describe, expect, it } from "vitest";
import { errorKeys, errorsOf, machine, withState } from "./helpers.ts";

describe("state fields", () => {
  it("requires Type and refuses an unknown Type", () => {
    expect(errorKeys(machine({ S: { End: true } }))).toEqual(["MISSING_FIELD /States/S"]);
    expect(errorKeys(machine({ S: { Type: "Sleep", End: true } }))).toEqual(["INVALID_VALUE /States/S/Type"]);
  });

  it("refuses a state that is not an object", () => {
    expect(errorKeys(machine({ S: "Pass" }))).toEqual(["INVALID_TYPE /States/S"]);
  });

  it("refuses a misspelt optional field instead of ignoring it", () => {
    expect(errorKeys(withState({ Type: "Pass", bugInputPath: "$.a", End: true }))).toContain(
      "UNKNOWN_FIELD /States/S/bugInputPath",
    );
  });

  it("refuses a field that belongs to another state type", () => {
    expect(
      errorKeys(withState({ Type: "Pass", Resource: "arn:aws:states:::http:invoke", End: true })),
    ).toContain("UNKNOWN_FIELD /States/S/Resource");
    expect(errorKeys(machine({ S: { Type: "Fail", InputPath: "$" } }))).toEqual([
      "UNKNOWN_FIELD /States/S/InputPath",
    ]);
    expect(errorKeys(machine({ S: { Type: "Succeed", Retry: [] } }))).toEqual([
      "UNKNOWN_FIELD /States/S/Retry",
    ]);
  });

  it("names JSONata-only fields as such when they appear in JSONPath mode", () => {
    const [error] = errorsOf(withState({ Type: "Pass", Output: { a: 1 }, End: true }));
    expect(error?.code).toBe("UNKNOWN_FIELD");
    expect(error?.message).toContain("JSONata");
  });

  it("accepts Assign with a payload template on a Pass state", () => {
    expect(errorKeys(withState({ Type: "Pass", Assign: { x: 1, "y.$": "$.y" }, Next: "Done" }))).toEqual([]);
  });

  it("refuses a non-string Comment", () => {
    expect(errorKeys(withState({ Type: "Pass", Comment: 3, Next: "Done" }))).toEqual([
      "INVALID_TYPE /States/S/Comment",
    ]);
  });
});
