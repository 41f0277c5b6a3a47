import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

describe("States.MathRandom", () => {
  it("returns an integer in [start, end) from the random source (AWS example shape)", () => {
    expect(run("States.MathRandom($.start, $.end)", { start: 1, end: 999 }, () => 0)).toEqual({
      ok: true,
      value: 1,
    });
    expect(run("States.MathRandom($.start, $.end)", { start: 1, end: 999 }, () => 0.999999)).toEqual({
      ok: true,
      value: 998,
    });
  });

  it("is repeatable for the same seed and ignores the injected source then", () => {
    const first = run("States.MathRandom(0, 1000000, 42)", {}, () => 0);
    const second = run("States.MathRandom(0, 1000000, 42)", {}, () => 0.9);
    expect(first).toEqual(second);
    expect(run("States.MathRandom(0, 1000000, 43)")).not.toEqual(first);
  });

  it("rounds non-integer bounds, as AWS documents", () => {
    expect(run("States.MathRandom(0.6, 2.4)", {}, () => 0.2)).toEqual({ ok: true, value: 1 });
  });

  it("refuses an empty range and non-numbers", () => {
    expect(run("States.MathRandom(5, 5)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    expect(run("States.MathRandom('1', 5)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    expect(run("States.MathRandom(1, 5, 'seed')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.MathAdd", () => {
  it("adds two integers (AWS example)", () => {
    expect(run("States.MathAdd($.value1, $.step)", { value1: 111, step: -1 })).toEqual({
      ok: true,
      value: 110,
    });
  });

  it("rounds non-integer arguments to the nearest integer first", () => {
    expect(run("States.MathAdd(1.6, 2.2)")).toEqual({ ok: true, value: 4 });
  });

  it("refuses non-numbers", () => {
    expect(run("States.MathAdd('1', 2)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    expect(run("States.MathAdd(null, 2)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});

describe("States.UUID", () => {
  it("returns a version 4 UUID", () => {
    let i = 0;
    const result = run("States.UUID()", {}, () => (i++ % 16) / 16);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("is determined by the injected random source", () => {
    expect(run("States.UUID()", {}, () => 0)).toEqual({
      ok: true,
      value: "00000000-0000-4000-8000-000000000000",
    });
  });

  it("differs between calls with a real random source", () => {
    expect(run("States.UUID()", {}, Math.random)).not.toEqual(run("States.UUID()", {}, Math.random));
  });
});

describe("nesting", () => {
  // The AWS docs' nine-deep example has three placeholders but two values, which Format refuses;
  // with the template matching its arguments it yields major.minor of a recipe ARN.
  it("evaluates the AWS nine-deep example", () => {
    const expr =
      "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    const input = {
      ImageRecipe: { Arn: "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.2.3" },
    };
    expect(run(expr, input)).toEqual({ ok: true, value: "1.2" });
  });
});
