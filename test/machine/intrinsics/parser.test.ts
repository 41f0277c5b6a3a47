import { describe, expect, it } from "vitest";
import { isIntrinsicCall, parseIntrinsic } from "../../../src/machine/intrinsics/parser.ts";
import { INTRINSIC_FUNCTIONS } from "../../../src/machine/intrinsics/registry.ts";

describe("the intrinsic registry", () => {
  it("holds exactly the 18 functions of Step Functions' JSONPath mode", () => {
    expect([...INTRINSIC_FUNCTIONS.keys()].sort()).toEqual(
      [
        "States.Array",
        "States.ArrayContains",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayPartition",
        "States.ArrayRange",
        "States.ArrayUnique",
        "States.Base64Decode",
        "States.Base64Encode",
        "States.Format",
        "States.Hash",
        "States.JsonMerge",
        "States.JsonToString",
        "States.MathAdd",
        "States.MathRandom",
        "States.StringSplit",
        "States.StringToJson",
        "States.UUID",
      ].sort(),
    );
  });
});

describe("isIntrinsicCall", () => {
  it("recognises a call and not a path", () => {
    expect(isIntrinsicCall("States.Format('x')")).toBe(true);
    expect(isIntrinsicCall("States.UUID()")).toBe(true);
    expect(isIntrinsicCall("$.States")).toBe(false);
    expect(isIntrinsicCall("States.Format")).toBe(false);
  });
});

describe("parseIntrinsic", () => {
  it("parses literals, paths and nested calls", () => {
    const parsed = parseIntrinsic(
      "States.Array('a\\'b', -1.5e2, true, false, null, $.x[0], $$.State.Name, States.UUID())",
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const kinds = parsed.value.args.map((arg) => arg.kind);
    expect(kinds).toEqual(["string", "number", "boolean", "boolean", "null", "path", "path", "call"]);
    expect(parsed.value.args[0]).toEqual({ kind: "string", value: "a'b", raw: "a\\'b" });
    expect(parsed.value.args[1]).toEqual({ kind: "number", value: -150 });
  });

  it("unescapes the reserved characters in string literals", () => {
    const parsed = parseIntrinsic("States.Array('\\{\\}\\\\\\'')");
    expect(parsed.ok && parsed.value.args[0]).toMatchObject({ kind: "string", value: "{}\\'" });
  });

  it("reads a path with brackets, quotes and a filter as one argument", () => {
    const parsed = parseIntrinsic("States.Array($.a['x, y'], $.b[?(@.c == 'd,e')], $.c[0,1])");
    expect(parsed.ok && parsed.value.args.map((arg) => arg.kind === "path" && arg.path.source)).toEqual([
      "$.a['x, y']",
      "$.b[?(@.c == 'd,e')]",
      "$.c[0,1]",
    ]);
  });

  it("accepts the nine-deep nesting example from the AWS docs", () => {
    const expr =
      "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
    expect(parseIntrinsic(expr).ok).toBe(true);
  });

  it("refuses more than 10 nested calls", () => {
    let expr = "States.UUID()";
    for (let i = 0; i < 10; i++) expr = `States.Array(${expr})`;
    const parsed = parseIntrinsic(expr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain("nested at most 10");
  });

  it.each([
    ["States.Nope(1)", "unknown intrinsic function States.Nope"],
    ["States.ArrayLength()", "States.ArrayLength takes 1 argument(s), got 0"],
    ["States.MathAdd(1, 2, 3)", "States.MathAdd takes 2 argument(s), got 3"],
    ["States.MathRandom(1)", "States.MathRandom takes 2 to 3 argument(s), got 1"],
    ["States.Format()", "States.Format takes at least 1 argument(s), got 0"],
    ["States.Format('unterminated)", "unterminated string literal"],
    ['States.Format("double")', "expected a string in single quotes"],
    ["States.Array($.a[)", "invalid path '$.a[)'"],
    ["States.Array(1) trailing", "unexpected text after the closing parenthesis"],
    ["States.Array(1,)", "expected a string in single quotes"],
    ["Format('x')", "expected an intrinsic function"],
  ])("refuses %s with a clear message", (expr, message) => {
    const parsed = parseIntrinsic(expr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
