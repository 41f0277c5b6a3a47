import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

const inputArray = [1, 2, 3, 4, 5, 6, 7, 8, 9];

describe("States.Array", () => {
  it("collects its arguments (AWS example)", () => {
    expect(run("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: "abcdefg" } })).toEqual({
      ok: true,
      value: ["Foo", 2020, { random: "abcdefg" }, null],
    });
  });

  it("returns an empty array without arguments", () => {
    expect(run("States.Array()")).toEqual({ ok: true, value: [] });
  });
});

describe("States.ArrayPartition", () => {
  it("chunks an array, the last chunk shorter (AWS example)", () => {
    expect(run("States.ArrayPartition($.inputArray,4)", { inputArray })).toEqual({
      ok: true,
      value: [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
    });
  });

  it("returns no chunks for an empty array", () => {
    expect(run("States.ArrayPartition($.a, 2)", { a: [] })).toEqual({ ok: true, value: [] });
  });

  it.each(["0", "-1", "1.5", "'2'"])("refuses chunk size %s", (size) => {
    expect(run(`States.ArrayPartition($.a, ${size})`, { a: [1] })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.ArrayContains", () => {
  it("finds a value (AWS example)", () => {
    expect(run("States.ArrayContains($.inputArray, $.lookingFor)", { inputArray, lookingFor: 5 })).toEqual({
      ok: true,
      value: true,
    });
  });

  it("compares objects structurally and reports absence", () => {
    const input = { a: [{ x: 1, y: [2] }] };
    expect(run("States.ArrayContains($.a, $.v)", { ...input, v: { y: [2], x: 1 } })).toEqual({
      ok: true,
      value: true,
    });
    expect(run("States.ArrayContains($.a, 'x')", input)).toEqual({ ok: true, value: false });
  });

  it("refuses a non-array", () => {
    expect(run("States.ArrayContains('abc', 'a')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.ArrayRange", () => {
  it("builds an inclusive range with a step (AWS example)", () => {
    expect(run("States.ArrayRange(1, 9, 2)")).toEqual({ ok: true, value: [1, 3, 5, 7, 9] });
  });

  it("counts down with a negative step and stops before passing the end", () => {
    expect(run("States.ArrayRange(10, 1, -4)")).toEqual({ ok: true, value: [10, 6, 2] });
  });

  it("is empty when the step goes away from the end", () => {
    expect(run("States.ArrayRange(5, 1, 1)")).toEqual({ ok: true, value: [] });
  });

  it("allows exactly 1000 items and refuses 1001", () => {
    const ok = run("States.ArrayRange(1, 1000, 1)");
    expect(ok.ok && (ok.value as number[]).length).toBe(1000);
    const tooMany = run("States.ArrayRange(0, 1000, 1)");
    expect(tooMany).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    if (!tooMany.ok) expect(tooMany.cause).toContain("1001 items");
  });

  it("refuses a zero step and non-integers", () => {
    expect(run("States.ArrayRange(1, 9, 0)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
    expect(run("States.ArrayRange(1.5, 9, 1)")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.ArrayGetItem", () => {
  it("returns the item at an index (AWS example)", () => {
    expect(run("States.ArrayGetItem($.inputArray, $.index)", { inputArray, index: 5 })).toEqual({
      ok: true,
      value: 6,
    });
  });

  it("refuses an index out of bounds, negative or not an integer", () => {
    for (const index of ["9", "-1", "0.5", "'0'"]) {
      expect(run(`States.ArrayGetItem($.a, ${index})`, { a: inputArray })).toMatchObject({
        ok: false,
        error: "States.IntrinsicFailure",
      });
    }
  });
});

describe("States.ArrayLength", () => {
  it("counts items (AWS example)", () => {
    expect(run("States.ArrayLength($.inputArray)", { inputArray })).toEqual({ ok: true, value: 9 });
  });

  it("refuses a non-array", () => {
    expect(run("States.ArrayLength($.o)", { o: {} })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
  });
});

describe("States.ArrayUnique", () => {
  it("removes duplicates keeping first occurrences (AWS example)", () => {
    expect(run("States.ArrayUnique($.inputArray)", { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual({
      ok: true,
      value: [1, 2, 3, 4],
    });
  });

  it("treats structurally equal objects as duplicates", () => {
    const input = { a: [{ x: 1, y: 2 }, { y: 2, x: 1 }, "1", 1] };
    expect(run("States.ArrayUnique($.a)", input)).toEqual({ ok: true, value: [{ x: 1, y: 2 }, "1", 1] });
  });
});
