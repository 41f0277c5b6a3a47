import { describe, expect, it } from "vitest";
import { parseDefinitionText, validateDefinitionText } from "../../../src/machine/validate/index.ts";

describe("parseDefinitionText", () => {
  it("parses valid JSON without diagnostics", () => {
    expect(parseDefinitionText('{"a": [1, {"b": "c"}]}')).toEqual({
      definition: { a: [1, { b: "c" }] },
      diagnostics: [],
    });
  });

  it("reports a duplicate key with a pointer to it, which JSON.parse would hide", () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "Next": "C", "End": true}}}';
    const { diagnostics } = parseDefinitionText(text);
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", code: "DUPLICATE_KEY", pointer: "/States/A/Next" }),
    ]);
  });

  it("finds duplicates inside arrays and nested objects, and in escaped spellings of one key", () => {
    const text = '{"x": [{"a": 1}, {"k": {"z": 1, "\\u007a": 2}}], "y": {"a": 1, "b": 2}}';
    expect(parseDefinitionText(text).diagnostics.map((d) => d.pointer)).toEqual(["/x/1/k/z"]);
  });

  it("reports the same key in two different objects as no duplicate", () => {
    expect(parseDefinitionText('{"a": {"k": 1}, "b": {"k": 1}}').diagnostics).toEqual([]);
  });

  it("reports text that is not JSON as INVALID_JSON_DESCRIPTION", () => {
    const parsed = parseDefinitionText('{"StartAt": ');
    expect(parsed.definition).toBeUndefined();
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: "INVALID_JSON_DESCRIPTION", pointer: "" }),
    ]);
  });

  it("handles strings holding braces, quotes and commas", () => {
    expect(parseDefinitionText('{"a": "}{,\\"", "b": ["]", "[,"], "c": 1}').diagnostics).toEqual([]);
  });
});

describe("validateDefinitionText", () => {
  it("combines duplicate-key errors with the definition's own diagnostics", () => {
    const text = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}';
    const result = validateDefinitionText(text);
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual(["DUPLICATE_KEY /States/A"]);
  });
});
