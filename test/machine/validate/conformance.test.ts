import { describe, expect, it } from "vitest";
import { validateDefinitionText } from "../../../src/machine/validate/index.ts";
import { aslDefinitions } from "../../support/conformance";

// Fixtures from ChristopheBougere/asl-validator (see SOURCE.md there), read in place as raw text
// so duplicate keys survive until the validator sees them.

const cases = Object.entries(aslDefinitions).map(([name, text]) => ({ name, text }));
const usesJsonata = (text: string) => /"QueryLanguage"\s*:\s*"JSONata"|"\{%/.test(text);
const errorsOf = (text: string) =>
  validateDefinitionText(text).diagnostics.filter((d) => d.severity === "ERROR");

describe("asl-validator conformance definitions", () => {
  it("finds the fixture files", () => {
    expect(cases.length).toBeGreaterThan(100);
  });

  it("includes JSONata definitions of both verdicts", () => {
    const jsonata = cases.filter((c) => usesJsonata(c.text));
    expect(jsonata.filter((c) => c.name.startsWith("valid-")).length).toBeGreaterThan(5);
    expect(jsonata.filter((c) => c.name.startsWith("invalid-")).length).toBeGreaterThan(5);
  });

  for (const { name, text } of cases.filter((c) => c.name.startsWith("valid-"))) {
    it(`accepts ${name}`, () => {
      expect(errorsOf(text)).toEqual([]);
      expect(validateDefinitionText(text).valid).toBe(true);
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
