import { describe, expect, it } from "vitest";
import { evaluateRule, type PathReader } from "../../../src/machine/choice/evaluate.ts";
import { stringMatches } from "../../../src/machine/choice/string-matches.ts";
import { succeed } from "../../../src/machine/errors.ts";
import { evaluatePath } from "../../../src/machine/paths/json-path.ts";
import type { ChoiceRule, JsonValue, StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, types } from "./support/driver.ts";

const reader =
  (data: JsonValue): PathReader =>
  (path) => {
    const m = evaluatePath(data, path);
    return succeed(m.found ? { found: true, value: m.value as JsonValue } : { found: false });
  };

const input = {
  s: "banana",
  n: 42,
  b: true,
  t: "2026-01-01T12:00:00Z",
  nil: null,
  other: { s: "cherry", n: 42, b: true, t: "2026-01-01T13:00:00+01:00" },
};

const holds = (rule: ChoiceRule): boolean => {
  const r = evaluateRule(rule, reader(input));
  if (!r.ok) throw new Error(r.cause);
  return r.value;
};

describe("Choice rules", () => {
  it.each<[ChoiceRule, boolean]>([
    [{ Variable: "$.s", StringEquals: "banana" }, true],
    [{ Variable: "$.s", StringEqualsPath: "$.other.s" }, false],
    [{ Variable: "$.s", StringLessThan: "cherry" }, true],
    [{ Variable: "$.s", StringLessThanPath: "$.other.s" }, true],
    [{ Variable: "$.s", StringGreaterThan: "apple" }, true],
    [{ Variable: "$.s", StringGreaterThanPath: "$.other.s" }, false],
    [{ Variable: "$.s", StringLessThanEquals: "banana" }, true],
    [{ Variable: "$.s", StringLessThanEqualsPath: "$.other.s" }, true],
    [{ Variable: "$.s", StringGreaterThanEquals: "banana" }, true],
    [{ Variable: "$.s", StringGreaterThanEqualsPath: "$.other.s" }, false],
    [{ Variable: "$.n", NumericEquals: 42 }, true],
    [{ Variable: "$.n", NumericEqualsPath: "$.other.n" }, true],
    [{ Variable: "$.n", NumericLessThan: 42 }, false],
    [{ Variable: "$.n", NumericLessThanPath: "$.other.n" }, false],
    [{ Variable: "$.n", NumericGreaterThan: 41.5 }, true],
    [{ Variable: "$.n", NumericGreaterThanPath: "$.other.n" }, false],
    [{ Variable: "$.n", NumericLessThanEquals: 42 }, true],
    [{ Variable: "$.n", NumericLessThanEqualsPath: "$.other.n" }, true],
    [{ Variable: "$.n", NumericGreaterThanEquals: 43 }, false],
    [{ Variable: "$.n", NumericGreaterThanEqualsPath: "$.other.n" }, true],
    [{ Variable: "$.b", BooleanEquals: true }, true],
    [{ Variable: "$.b", BooleanEqualsPath: "$.other.b" }, true],
    [{ Variable: "$.t", TimestampEquals: "2026-01-01T12:00:00.000Z" }, true],
    [{ Variable: "$.t", TimestampEqualsPath: "$.other.t" }, true],
    [{ Variable: "$.t", TimestampLessThan: "2026-01-01T12:00:01Z" }, true],
    [{ Variable: "$.t", TimestampLessThanPath: "$.other.t" }, false],
    [{ Variable: "$.t", TimestampGreaterThan: "2025-12-31T23:59:59Z" }, true],
    [{ Variable: "$.t", TimestampGreaterThanPath: "$.other.t" }, false],
    [{ Variable: "$.t", TimestampLessThanEquals: "2026-01-01T12:00:00Z" }, true],
    [{ Variable: "$.t", TimestampLessThanEqualsPath: "$.other.t" }, true],
    [{ Variable: "$.t", TimestampGreaterThanEquals: "2026-01-01T12:00:00Z" }, true],
    [{ Variable: "$.t", TimestampGreaterThanEqualsPath: "$.other.t" }, true],
    [{ Variable: "$.s", StringMatches: "ban*" }, true],
    [{ Variable: "$.n", StringEquals: "42" }, false],
    [{ Variable: "$.s", NumericEquals: 42 }, false],
  ])("%j → %s", (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it.each<[ChoiceRule, boolean]>([
    [{ Variable: "$.nil", IsNull: true }, true],
    [{ Variable: "$.s", IsNull: true }, false],
    [{ Variable: "$.missing", IsPresent: false }, true],
    [{ Variable: "$.nil", IsPresent: true }, true],
    [{ Variable: "$.n", IsNumeric: true }, true],
    [{ Variable: "$.s", IsString: true }, true],
    [{ Variable: "$.b", IsBoolean: true }, true],
    [{ Variable: "$.t", IsTimestamp: true }, true],
    [{ Variable: "$.s", IsTimestamp: false }, true],
    [{ Variable: "$.missing", IsString: true }, false],
  ])("type test %j → %s", (rule, expected) => {
    expect(holds(rule)).toBe(expected);
  });

  it("combines rules with And, Or and Not", async () => {
    expect(
      holds({
        And: [
          { Variable: "$.n", NumericEquals: 42 },
          { Variable: "$.b", BooleanEquals: true },
        ],
      }),
    ).toBe(true);
    expect(
      holds({
        Or: [
          { Variable: "$.n", NumericEquals: 1 },
          { Variable: "$.s", StringEquals: "banana" },
        ],
      }),
    ).toBe(true);
    expect(holds({ Not: { Variable: "$.s", StringEquals: "banana" } })).toBe(false);
  });

  it("fails with States.Runtime when a comparison reads a missing field", async () => {
    const r = evaluateRule({ Variable: "$.missing", StringEquals: "x" }, reader(input));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe("States.Runtime");
  });

  it.each<[string, string, boolean]>([
    ["log.txt", "*.txt", true],
    ["log.txt", "*.log", false],
    ["a*b", "a\\*b", true],
    ["axb", "a\\*b", false],
    ["back\\slash", "back\\\\slash", true],
    ["abcabc", "a*c*c", true],
    ["abc", "a*c*c", false],
    ["", "*", true],
    ["exact", "exact", true],
  ])("StringMatches(%j, %j) is %s", (value, pattern, expected) => {
    expect(stringMatches(value, pattern)).toBe(expected);
  });
});

describe("Choice state", () => {
  const definition: StateMachineDefinition = {
    StartAt: "C",
    States: {
      C: {
        Type: "Choice",
        Choices: [
          { Variable: "$.n", NumericGreaterThan: 10, Next: "Big" },
          { Variable: "$.n", NumericGreaterThan: 5, Next: "Medium" },
        ],
        Default: "Small",
      },
      Big: { Type: "Pass", Result: "big", End: true },
      Medium: { Type: "Pass", Result: "medium", End: true },
      Small: { Type: "Pass", Result: "small", End: true },
    },
  };

  it("takes the first matching rule", async () => {
    expect((await run(definition, { n: 50 })).snapshot.output).toBe("big");
    expect((await run(definition, { n: 7 })).snapshot.output).toBe("medium");
  });

  it("falls back to Default", async () => {
    const r = await run(definition, { n: 1 });
    expect(r.snapshot.output).toBe("small");
    expect(types(r.events).slice(1, 3)).toEqual(["ChoiceStateEntered", "ChoiceStateExited"]);
  });

  it("fails with States.NoChoiceMatched without a match or Default", async () => {
    const r = await run(
      {
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "D" }] },
          D: { Type: "Succeed" },
        },
      },
      { n: 2 },
    );
    expect(r.snapshot.status).toBe("FAILED");
    expect(r.snapshot.error).toBe("States.NoChoiceMatched");
    expect(types(r.events)).toEqual(["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]);
  });
});
