import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

describe("States.Format", () => {
  it("interpolates values (AWS example)", () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: "Arnav" })).toEqual({
      ok: true,
      value: "Hello, my name is Arnav.",
    });
  });

  it("renders numbers, booleans and null as JSON text", () => {
    expect(run("States.Format('{} {} {}', 1.5, true, null)")).toEqual({ ok: true, value: "1.5 true null" });
  });

  it("renders objects and arrays the way Step Functions does (Java toString), not as JSON", () => {
    expect(run("States.Format('{}', $.o)", { o: { Arg1: 1, Arg2: [], s: "x", n: { t: ["a", 2] } } })).toEqual(
      {
        ok: true,
        value: "{Arg1=1, Arg2=[], s=x, n={t=[a, 2]}}",
      },
    );
  });

  it("accepts a template read from the input", () => {
    expect(
      run("States.Format($.template, $.name)", { template: "Hello, my name is {}.", name: "Arnav" }),
    ).toEqual({
      ok: true,
      value: "Hello, my name is Arnav.",
    });
  });

  it("keeps escaped braces and quotes literal", () => {
    expect(run("States.Format('\\{\\} {} it\\'s \\\\', 'x')")).toEqual({ ok: true, value: "{} x it's \\" });
  });

  it("fails with States.IntrinsicFailure when the argument count does not match the placeholders", () => {
    const result = run("States.Format('{} {}', 'only one')");
    expect(result).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    if (!result.ok) expect(result.cause).toContain("2 placeholder(s) but 1 value(s)");
    expect(run("States.Format('none', 'extra')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });

  it("fails when the template is not a string", () => {
    expect(run("States.Format($.n)", { n: 1 })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.StringToJson and States.JsonToString", () => {
  it("parses an escaped JSON string (AWS example)", () => {
    expect(run("States.StringToJson($.escapedJsonString)", { escapedJsonString: '{"foo": "bar"}' })).toEqual({
      ok: true,
      value: { foo: "bar" },
    });
  });

  it("serialises a value to compact JSON (AWS example)", () => {
    expect(run("States.JsonToString($.unescapedJson)", { unescapedJson: { foo: "bar" } })).toEqual({
      ok: true,
      value: '{"foo":"bar"}',
    });
  });

  it("round-trips through both functions", () => {
    const input = { v: { a: [1, null, "x"], b: true } };
    expect(run("States.StringToJson(States.JsonToString($.v))", input)).toEqual({ ok: true, value: input.v });
  });

  it("fails on text that is not JSON and on non-strings", () => {
    expect(run("States.StringToJson('{nope')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.StringToJson(1)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});

describe("States.JsonMerge", () => {
  it("merges shallowly, the second object winning (AWS example)", () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run("States.JsonMerge($.json1, $.json2, false)", input)).toEqual({
      ok: true,
      value: { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
    });
  });

  it("refuses deep merging and non-objects", () => {
    expect(run("States.JsonMerge($.a, $.a, true)", { a: {} })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.JsonMerge($.a, 1, false)", { a: {} })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("path arguments", () => {
  it("fail with States.Runtime when they match nothing", () => {
    expect(run("States.JsonToString($.missing)")).toMatchObject({ ok: false, error: "States.Runtime" });
  });

  it("read the context object with $$", () => {
    expect(run("States.Format('{}', $$.Execution.Name)")).toEqual({ ok: true, value: "run-1" });
  });

  it("report a malformed call as States.IntrinsicFailure", () => {
    expect(run("States.Format(")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});

describe("States.Format escapes", () => {
  it("keeps a backslash that does not escape a reserved character", () => {
    expect(run("States.Format('a\\nb {}', 1)")).toEqual({ ok: true, value: "a\\nb 1" });
  });
});

describe("States.Format trailing backslash", () => {
  it("keeps a backslash at the end of a template read from the input", () => {
    expect(run("States.Format($.t, 1)", { t: "{} \\" })).toEqual({ ok: true, value: "1 \\" });
  });
});
