import { describe, expect, it } from "vitest";
import { choiceLabel, describeRule } from "../../../src/machine/graph/index.ts";

describe("Choice rule labels", () => {
  it("writes comparisons as variable, operator, value", () => {
    expect(describeRule({ Variable: "$.x", NumericEquals: 5 })).toBe("$.x == 5");
    expect(describeRule({ Variable: "$.x", NumericLessThanEquals: 5 })).toBe("$.x <= 5");
    expect(describeRule({ Variable: "$.x", NumericGreaterThan: 1.5 })).toBe("$.x > 1.5");
    expect(describeRule({ Variable: "$.s", StringEquals: "ok" })).toBe('$.s == "ok"');
    expect(describeRule({ Variable: "$.s", StringGreaterThanEquals: "m" })).toBe('$.s >= "m"');
    expect(describeRule({ Variable: "$.b", BooleanEquals: false })).toBe("$.b == false");
    expect(describeRule({ Variable: "$.t", TimestampLessThan: "2024-01-01T00:00:00Z" })).toBe(
      '$.t < "2024-01-01T00:00:00Z"',
    );
  });

  it("writes StringMatches as matches with the quoted pattern", () => {
    expect(describeRule({ Variable: "$.s", StringMatches: "a*" })).toBe('$.s matches "a*"');
  });

  it("writes Path comparisons with the other path unquoted", () => {
    expect(describeRule({ Variable: "$.a", NumericLessThanPath: "$.b" })).toBe("$.a < $.b");
    expect(describeRule({ Variable: "$.a", StringEqualsPath: "$.b" })).toBe("$.a == $.b");
  });

  it("writes type tests as is / is not", () => {
    expect(describeRule({ Variable: "$.a", IsPresent: true })).toBe("$.a is present");
    expect(describeRule({ Variable: "$.a", IsNull: false })).toBe("$.a is not null");
    expect(describeRule({ Variable: "$.a", IsTimestamp: true })).toBe("$.a is a timestamp");
  });

  it("writes And, Or and Not around their nested rules", () => {
    const rule = {
      And: [{ Variable: "$.a", NumericEquals: 1 }, { Not: { Variable: "$.b", StringEquals: "x" } }],
    };
    expect(describeRule(rule)).toBe('And($.a == 1, Not($.b == "x"))');
    expect(describeRule({ Or: [{ Variable: "$.a", IsNumeric: true }] })).toBe("Or($.a is numeric)");
  });

  it("shows a JSONata Condition without its delimiters", () => {
    expect(describeRule({ Condition: "{% $states.input.n > 3 %}" })).toBe("$states.input.n > 3");
  });

  it("truncates long rules with an ellipsis", () => {
    const rule = { Variable: "$.a", StringEquals: "x".repeat(100) };
    const label = choiceLabel(rule);
    expect(Array.from(label)).toHaveLength(40);
    expect(label.endsWith("…")).toBe(true);
    expect(label.startsWith('$.a == "xxx')).toBe(true);
  });

  it("never throws on malformed rules", () => {
    expect(describeRule(null)).toBe("?");
    expect(describeRule({ Variable: "$.a", Bogus: 1 })).toBe("$.a ?");
    expect(describeRule({ NumericEquals: { nested: true } })).toBe("? == ?");
    expect(describeRule({ And: [7] })).toBe("And(?)");
  });
});
