import { describe, expect, it } from "vitest";
import { errorKeys, machine } from "./helpers.ts";

const done = { Type: "Succeed" };
const choice = (...rules: unknown[]) =>
  machine({ C: { Type: "Choice", Choices: rules, Default: "D" }, D: done });
const P = "/States/C/Choices/0";

describe("Choice state and rules", () => {
  it("accepts every comparison operator with an operand of its type", () => {
    const rules = [
      { Variable: "$.s", StringEquals: "a", Next: "D" },
      { Variable: "$.s", StringLessThanEqualsPath: "$.t", Next: "D" },
      { Variable: "$.s", StringMatches: "log-*.txt", Next: "D" },
      { Variable: "$.n", NumericGreaterThan: 1.5, Next: "D" },
      { Variable: "$.b", BooleanEquals: false, Next: "D" },
      { Variable: "$.t", TimestampLessThan: "2016-03-14T01:59:00Z", Next: "D" },
      { Variable: "$.t", TimestampEqualsPath: "$$.Execution.StartTime", Next: "D" },
      { Variable: "$.x", IsPresent: true, Next: "D" },
    ];
    expect(errorKeys(choice(...rules))).toEqual([]);
  });

  it("requires a non-empty Choices array", () => {
    expect(errorKeys(machine({ C: { Type: "Choice", Default: "D" }, D: done }))).toEqual([
      "MISSING_FIELD /States/C",
    ]);
    expect(errorKeys(choice())).toEqual(["INVALID_TYPE /States/C/Choices"]);
  });

  it("requires Next on a top-level rule and refuses End there", () => {
    expect(errorKeys(choice({ Variable: "$.x", IsNull: true }))).toEqual([`INVALID_CHOICE_RULE ${P}`]);
    expect(errorKeys(choice({ Variable: "$.x", IsNull: true, End: true }))).toContain(
      `UNKNOWN_FIELD ${P}/End`,
    );
  });

  it("refuses Next on a nested rule", () => {
    const rule = { Not: { Variable: "$.x", IsNull: true, Next: "D" }, Next: "D" };
    expect(errorKeys(choice(rule))).toEqual([`INVALID_CHOICE_RULE ${P}/Not/Next`]);
  });

  it("requires exactly one comparison operator on a leaf rule", () => {
    expect(errorKeys(choice({ Variable: "$.x", Next: "D" }))).toEqual([`INVALID_CHOICE_RULE ${P}`]);
    expect(errorKeys(choice({ Variable: "$.x", IsNull: true, IsString: true, Next: "D" }))).toEqual([
      `INVALID_CHOICE_RULE ${P}`,
    ]);
  });

  it("requires Variable on a leaf rule and forbids it on And/Or/Not", () => {
    expect(errorKeys(choice({ StringEquals: "a", Next: "D" }))).toEqual([`INVALID_CHOICE_RULE ${P}`]);
    const rule = { Variable: "$.x", And: [{ Variable: "$.x", IsNull: true }], Next: "D" };
    expect(errorKeys(choice(rule))).toEqual([`INVALID_CHOICE_RULE ${P}/Variable`]);
  });

  it("requires And and Or to hold non-empty arrays of rules, checked recursively", () => {
    expect(errorKeys(choice({ And: [], Next: "D" }))).toEqual([`INVALID_CHOICE_RULE ${P}/And`]);
    const rule = {
      Or: [
        { Variable: "$.x", IsNull: true },
        { Variable: "$.y", NumericEquals: "1" },
      ],
      Next: "D",
    };
    expect(errorKeys(choice(rule))).toEqual([`INVALID_TYPE ${P}/Or/1/NumericEquals`]);
  });

  it("refuses operands of the wrong type", () => {
    expect(errorKeys(choice({ Variable: "$.x", StringEquals: 1, Next: "D" }))).toEqual([
      `INVALID_TYPE ${P}/StringEquals`,
    ]);
    expect(errorKeys(choice({ Variable: "$.x", BooleanEquals: "true", Next: "D" }))).toEqual([
      `INVALID_TYPE ${P}/BooleanEquals`,
    ]);
    expect(errorKeys(choice({ Variable: "$.x", IsNull: 1, Next: "D" }))).toEqual([
      `INVALID_TYPE ${P}/IsNull`,
    ]);
  });

  it("requires …Path operators and Variable to be reference paths", () => {
    expect(errorKeys(choice({ Variable: "$.x", NumericEqualsPath: "$.a[*]", Next: "D" }))).toEqual([
      `INVALID_REFERENCE_PATH ${P}/NumericEqualsPath`,
    ]);
    expect(errorKeys(choice({ Variable: "States.ArrayLength($.a)", NumericEquals: 1, Next: "D" }))).toEqual([
      `INVALID_REFERENCE_PATH ${P}/Variable`,
    ]);
  });

  it("refuses timestamps that are not RFC 3339 with uppercase T and Z", () => {
    for (const bad of ["2016-03-14 01:59:00Z", "2016-03-14t01:59:00z", "2016-02-30T00:00:00Z", "yesterday"]) {
      expect(errorKeys(choice({ Variable: "$.t", TimestampEquals: bad, Next: "D" }))).toEqual([
        `INVALID_TIMESTAMP ${P}/TimestampEquals`,
      ]);
    }
    expect(
      errorKeys(choice({ Variable: "$.t", TimestampEquals: "2016-03-14T01:59:00.123+02:00", Next: "D" })),
    ).toEqual([]);
  });

  it("allows only \\* and \\\\ escapes in StringMatches", () => {
    expect(errorKeys(choice({ Variable: "$.s", StringMatches: "a\\*b\\\\c", Next: "D" }))).toEqual([]);
    expect(errorKeys(choice({ Variable: "$.s", StringMatches: "a\\d", Next: "D" }))).toEqual([
      `INVALID_STRING_MATCHES ${P}/StringMatches`,
    ]);
  });
});
