import { describe, expect, it } from "vitest";
import { aslDefinitions, jsonPatchSuite } from "../support/conformance";

describe("shared conformance fixtures", () => {
  it("are readable from the test pool, in place", () => {
    expect(Object.keys(aslDefinitions).length).toBeGreaterThan(50);
    expect(jsonPatchSuite("tests.json").length).toBeGreaterThan(10);
  });
});
