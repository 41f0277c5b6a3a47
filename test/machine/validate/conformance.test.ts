import { describe, expect, it } from "vitest";
import { validateDefinitionText } from "../../../src/machine/validate/index.ts";
import { aslDefinitions } from "../../support/conformance";

// Fixtures from ChristopheBougere/asl-validator (see SOURCE.md there), read in place as raw text
// so duplicate keys survive until the validator sees them.

const cases = Object.entries(aslDefinitions).map(([name, text]) => ({ name, text }));
const usesJsonata = (text: string) => /"QueryLanguage"\s*:\s*"JSONata"|"\{%/.test(text);

describe("asl-validator conformance definitions", () => {
  it("finds the fixture files", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  for (const { name, text } of cases.filter((c) => c.name.startsWith("valid-"))) {
    const jsonata = usesJsonata(text);
    it(`${jsonata ? "refuses JSONata definition with one JSONATA_UNSUPPORTED" : "accepts"} ${name}`, () => {
      const result = validateDefinitionText(text);
      if (jsonata) {
        expect(result.diagnostics).toEqual([
          expect.objectContaining({ code: "JSONATA_UNSUPPORTED", severity: "ERROR" }),
        ]);
      } else {
        expect(result.diagnostics.filter((d) => d.severity === "ERROR")).toEqual([]);
        expect(result.valid).toBe(true);
      }
    });
  }

  for (const { name, text } of cases.filter((c) => c.name.startsWith("invalid-"))) {
    it(`refuses ${name} with at least one ERROR`, () => {
      const result = validateDefinitionText(text);
      expect(result.valid).toBe(false);
      expect(result.diagnostics.some((d) => d.severity === "ERROR")).toBe(true);
    });
  }
});
