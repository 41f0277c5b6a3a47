import { describe, expect, it } from "vitest";

// Conformance fixtures live in ../shared and are read from there, never copied.
const definitions = import.meta.glob("../../../shared/conformance/asl-validator/definitions/*.json", {
  eager: true,
  import: "default",
});

import patchTests from "../../../shared/conformance/json-patch/tests.json";

describe("shared conformance fixtures", () => {
  it("are readable from the test pool", () => {
    expect(Object.keys(definitions).length).toBeGreaterThan(50);
    expect(Array.isArray(patchTests)).toBe(true);
  });
});
