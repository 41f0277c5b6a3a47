import { describe, expect, it } from "vitest";
import { validateDefinition } from "../../../src/machine/validate/index.ts";
import { machine } from "./helpers.ts";

describe("JSONata mode", () => {
  it("refuses a top-level QueryLanguage JSONata with exactly one JSONATA_UNSUPPORTED", () => {
    const result = validateDefinition(
      machine({ A: { Type: "Pass", Output: "{% 1 %}", End: true } }, { QueryLanguage: "JSONata" }),
    );
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", code: "JSONATA_UNSUPPORTED", pointer: "/QueryLanguage" }),
    ]);
  });

  it("refuses a state-level QueryLanguage JSONata, pointing at it", () => {
    const result = validateDefinition(machine({ A: { Type: "Pass", QueryLanguage: "JSONata", End: true } }));
    expect(result.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual([
      "JSONATA_UNSUPPORTED /States/A/QueryLanguage",
    ]);
  });

  it("refuses a {% … %} expression in a JSONPath definition", () => {
    const result = validateDefinition(
      machine({ A: { Type: "Pass", Result: { x: "{% $now() %}" }, End: true } }),
    );
    expect(result.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual([
      "JSONATA_UNSUPPORTED /States/A/Result/x",
    ]);
  });

  it("ignores {% in comments, which are never evaluated", () => {
    expect(
      validateDefinition(machine({ A: { Type: "Pass", Comment: "{% not code %}", End: true } })).valid,
    ).toBe(true);
  });
});
