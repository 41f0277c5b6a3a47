import { describe, expect, it } from "vitest";
import { validateDefinition } from "../../../src/machine/validate/index.ts";
import { errorKeys, machine } from "./helpers.ts";

const pass = { Type: "Pass", End: true };

describe("top-level fields", () => {
  it("accepts a minimal machine with no diagnostics at all", () => {
    expect(validateDefinition(machine({ A: pass }))).toEqual({ valid: true, diagnostics: [] });
  });

  it("refuses a definition that is not an object", () => {
    expect(errorKeys([1, 2])).toEqual(["INVALID_TYPE "]);
    expect(errorKeys("x")).toEqual(["INVALID_TYPE "]);
  });

  it("requires StartAt and States", () => {
    expect(errorKeys({ States: { A: pass } })).toContain("MISSING_FIELD ");
    expect(errorKeys({ StartAt: "A" })).toEqual(["MISSING_FIELD "]);
  });

  it("refuses an empty States object", () => {
    expect(errorKeys({ StartAt: "A", States: {} })).toEqual(["INVALID_TYPE /States"]);
  });

  it("refuses a StartAt that names no state", () => {
    expect(errorKeys({ StartAt: "B", States: { A: pass } })).toContain("MISSING_TRANSITION_TARGET /StartAt");
  });

  it("accepts Comment, Version, TimeoutSeconds and QueryLanguage JSONPath", () => {
    const def = machine(
      { A: pass },
      { Comment: "c", Version: "1.0", TimeoutSeconds: 60, QueryLanguage: "JSONPath" },
    );
    expect(errorKeys(def)).toEqual([]);
  });

  it("refuses an unknown top-level field", () => {
    expect(errorKeys(machine({ A: pass }, { Start: "A" }))).toEqual(["UNKNOWN_FIELD /Start"]);
  });

  it("refuses a TimeoutSeconds that is not a positive integer, and a non-string Version", () => {
    expect(errorKeys(machine({ A: pass }, { TimeoutSeconds: 0 }))).toEqual(["INVALID_VALUE /TimeoutSeconds"]);
    expect(errorKeys(machine({ A: pass }, { TimeoutSeconds: 1.5 }))).toEqual([
      "INVALID_TYPE /TimeoutSeconds",
    ]);
    expect(errorKeys(machine({ A: pass }, { Version: 1 }))).toEqual(["INVALID_TYPE /Version"]);
  });

  it("refuses a QueryLanguage that is neither JSONPath nor JSONata", () => {
    expect(errorKeys(machine({ A: pass }, { QueryLanguage: "XPath" }))).toEqual([
      "INVALID_VALUE /QueryLanguage",
    ]);
  });

  it("escapes / and ~ in pointers as RFC 6901 requires", () => {
    expect(errorKeys(machine({ "a/b~c": { Type: "Pass" } }))).toContain(
      "NEXT_OR_END_REQUIRED /States/a~1b~0c",
    );
  });
});
