import { describe, expect, it } from "vitest";
import { errorKeys, machine, withState } from "./helpers.ts";

const wait = (fields: Record<string, unknown>) => withState({ Type: "Wait", ...fields, Next: "Done" });

describe("Wait state", () => {
  it("accepts each of Seconds, SecondsPath, Timestamp and TimestampPath alone", () => {
    for (const fields of [
      { Seconds: 0 },
      { SecondsPath: "$.s" },
      { Timestamp: "2030-01-01T00:00:00Z" },
      { TimestampPath: "$.t" },
    ]) {
      expect(errorKeys(wait(fields))).toEqual([]);
    }
  });

  it("requires exactly one duration field", () => {
    expect(errorKeys(wait({}))).toEqual(["MISSING_FIELD /States/S"]);
    expect(errorKeys(wait({ Seconds: 1, TimestampPath: "$.t" }))).toEqual([
      "EXCLUSIVE_FIELDS /States/S/TimestampPath",
    ]);
  });

  it("refuses a negative or fractional Seconds and a bad Timestamp", () => {
    expect(errorKeys(wait({ Seconds: -1 }))).toEqual(["INVALID_VALUE /States/S/Seconds"]);
    expect(errorKeys(wait({ Seconds: 1.5 }))).toEqual(["INVALID_TYPE /States/S/Seconds"]);
    expect(errorKeys(wait({ Timestamp: "2030-01-01" }))).toEqual(["INVALID_TIMESTAMP /States/S/Timestamp"]);
  });

  it("requires SecondsPath to be a reference path", () => {
    expect(errorKeys(wait({ SecondsPath: "$..s" }))).toEqual([
      "INVALID_REFERENCE_PATH /States/S/SecondsPath",
    ]);
  });
});

describe("Fail state", () => {
  const fail = (fields: Record<string, unknown>) => machine({ F: { Type: "Fail", ...fields } });

  it("accepts Error and Cause, or ErrorPath and CausePath with paths or intrinsic calls", () => {
    expect(errorKeys(fail({ Error: "E", Cause: "C" }))).toEqual([]);
    expect(errorKeys(fail({ ErrorPath: "$.e", CausePath: "States.Format('bad {}', $.id)" }))).toEqual([]);
  });

  it("refuses Error with ErrorPath and Cause with CausePath", () => {
    expect(errorKeys(fail({ Error: "E", ErrorPath: "$.e" }))).toEqual([
      "EXCLUSIVE_FIELDS /States/F/ErrorPath",
    ]);
    expect(errorKeys(fail({ Cause: "C", CausePath: "$.c" }))).toEqual([
      "EXCLUSIVE_FIELDS /States/F/CausePath",
    ]);
  });

  it("refuses a malformed ErrorPath or CausePath", () => {
    expect(errorKeys(fail({ ErrorPath: "e" }))).toEqual(["INVALID_REFERENCE_PATH /States/F/ErrorPath"]);
    expect(errorKeys(fail({ CausePath: "States.Format(" }))).toEqual([
      "INVALID_INTRINSIC /States/F/CausePath",
    ]);
  });

  it("refuses a non-string Error", () => {
    expect(errorKeys(fail({ Error: 42 }))).toEqual(["INVALID_TYPE /States/F/Error"]);
  });
});
