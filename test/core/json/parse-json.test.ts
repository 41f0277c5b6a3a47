import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numberProblem } from "../../../src/core/json/json-number";
import { parseJson } from "../../../src/core/json/parse-json";

const refused = (text: string) => {
  const parsed = parseJson(text);
  if (parsed.ok) throw new Error(`${text} was accepted`);
  return parsed;
};

describe("parseJson: numbers", () => {
  it.each([
    ["12345678901234567890", "12345678901234567000"],
    ["9007199254740993", "9007199254740992"],
    ["-9007199254740993", "-9007199254740992"],
    ["9007199254740993.0", "9007199254740992"],
    ["9.007199254740993e15", "9007199254740992"],
    ["18446744073709551616", "18446744073709552000"],
  ])("refuses %s, which a double would turn into %s", (token, stored) => {
    expect(numberProblem(token)).toContain(`stored as ${stored}`);
    expect(refused(`{"n":[1,${token}]}`).issues).toEqual([
      { kind: "number", pointer: "/n/1", message: expect.stringContaining(token) },
    ]);
  });

  it.each(["1e-400", "-1e-400", "0.0001e-99999", "1E-324"])("refuses %s, which underflows", (token) => {
    expect(numberProblem(token)).toContain("stored as 0");
  });

  it.each(["1e-400", "-1e-400"])("tells underflow (%s) apart from -0", (token) => {
    expect(numberProblem(token)).toContain("too small");
  });

  it.each(["-0", "-0.0", "-0e5", "-0E-3"])("refuses %s, which JSON would write back as 0", (token) => {
    expect(numberProblem(token)).toContain("send 0");
  });

  it.each(["1e400", "-1e400", "1.8e308"])("refuses %s, beyond the largest double", (token) => {
    expect(numberProblem(token)).toContain("too large");
  });

  it.each([
    "0",
    "0.0",
    "0e5",
    "0.1",
    "-0.5",
    "3.141592653589793238462643383279",
    "9007199254740991",
    "9007199254740992",
    "-9007199254740992",
    "123456789012345",
    "1e300",
    "1.5e300",
    "1.7976931348623157e308",
    "5e-324",
    "100000000000000000000",
    "1e21",
    "1.8446744073709552e19",
  ])("accepts %s, which keeps its double value", (token) => {
    expect(numberProblem(token)).toBeUndefined();
    expect(parseJson(`[${token}]`)).toEqual({ ok: true, value: [JSON.parse(token)] });
  });

  it("accepts every number JavaScript writes (it writes the shortest spelling that reads back)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = JSON.stringify([n]);
        expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseJson: keys", () => {
  it("refuses a key given twice, with a pointer to the second", () => {
    expect(refused('{"a":1,"a":2}').issues).toEqual([
      { kind: "duplicate_key", pointer: "/a", message: expect.stringContaining('duplicate key "a"') },
    ]);
  });

  it("decodes escapes, so \\u0062 repeats b", () => {
    expect(refused('{"x":[{"b":1,"\\u0062":2}]}').issues.map((i) => i.pointer)).toEqual(["/x/0/b"]);
  });

  it("finds repeats past the small-object fast path", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(",");
    expect(refused(`{${keys},"k3":0}`).issues.map((i) => i.pointer)).toEqual(["/k3"]);
  });

  it("does not count the same key in sibling objects, nor key-like strings in values", () => {
    expect(parseJson('[{"k":1},{"k":2},{"v":"\\"k\\":","w":"k"}]').ok).toBe(true);
  });

  it("lists every problem with its pointer, and keeps what JSON.parse made for a linter", () => {
    const parsed = refused('{"a":{"b":1,"b":2},"c":[-0,12345678901234567890]}');
    expect(parsed.issues.map((i) => `${i.kind} ${i.pointer}`)).toEqual([
      "duplicate_key /a/b",
      "number /c/0",
      "number /c/1",
    ]);
    expect(parsed.message).toMatch(/^at \/a\/b: duplicate key "b".*\(and 2 more\)$/);
    expect(parsed.lossy).toEqual({ a: { b: 2 }, c: [-0, 12345678901234567000] });
  });
});

describe("parseJson: structure", () => {
  it("refuses nesting past the limit before building it", () => {
    const parsed = refused(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(parsed.message).toBe("the JSON is nested deeper than 64 levels");
    expect(parsed.lossy).toBeUndefined();
    expect(parseJson(`${"[".repeat(64)}${"]".repeat(64)}`).ok).toBe(true);
  });

  it("reports a syntax error as invalid JSON", () => {
    expect(refused('{"a":').message).toMatch(/^invalid JSON: /);
  });

  it("agrees with JSON.parse on any text, and accepts whatever JSON.stringify writes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        let native: unknown;
        try {
          native = JSON.parse(text);
        } catch {
          expect(parseJson(text).ok).toBe(false);
          return;
        }
        const parsed = parseJson(text);
        if (parsed.ok) expect(parsed.value).toEqual(native);
        expect(parseJson(JSON.stringify(native))).toEqual({ ok: true, value: native });
      }),
      { numRuns: 2000 },
    );
  });
});
