import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonByteLength } from "../../../src/core/json/json-size";
import type { JsonValue } from "../../../src/core/json/json-value";

const storedBytes = (value: JsonValue) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe("jsonByteLength", () => {
  it.each<[string, JsonValue]>([
    ["escapes and control characters", { 'q"': "\\\b\t\n\f\r\u0000\u001f\u007f" }],
    ["two-, three- and four-byte characters", ["é", "€", "😀", { ключ: "值" }]],
    ["lone surrogates", ["\ud800", "a\udc00b", "\udbff\ud800"]],
    ["numbers, literals and empty containers", [0, -0, 1e21, -1.5e-7, 123456789, true, false, null, [], {}]],
  ])("is the UTF-8 length of JSON.stringify: %s", (_, value) => {
    expect(jsonByteLength(value)).toBe(storedBytes(value));
  });

  it("is the UTF-8 length of JSON.stringify for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonByteLength(value as JsonValue)).toBe(storedBytes(value as JsonValue));
      }),
    );
  });

  it("stops past stopAbove and says so with a number above it", () => {
    const value = { a: "x".repeat(1000), b: ["y".repeat(1000)] };
    expect(jsonByteLength(value, 500)).toBeGreaterThan(500);
    expect(jsonByteLength(value, 5000)).toBe(storedBytes(value));
  });
});
