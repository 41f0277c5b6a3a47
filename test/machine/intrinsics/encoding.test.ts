import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

describe("States.Base64Encode", () => {
  it("encodes a string (AWS example)", () => {
    expect(run("States.Base64Encode($.input)", { input: "Data to encode" })).toEqual({
      ok: true,
      value: "RGF0YSB0byBlbmNvZGU=",
    });
  });

  it("encodes UTF-8 bytes and pads each length correctly", () => {
    expect(run("States.Base64Encode('héllo ✓')")).toEqual({ ok: true, value: "aMOpbGxvIOKckw==" });
    expect(run("States.Base64Encode('')")).toEqual({ ok: true, value: "" });
    expect(run("States.Base64Encode('a')")).toEqual({ ok: true, value: "YQ==" });
    expect(run("States.Base64Encode('ab')")).toEqual({ ok: true, value: "YWI=" });
    expect(run("States.Base64Encode('abc')")).toEqual({ ok: true, value: "YWJj" });
  });

  it("refuses input longer than 10,000 characters and non-strings", () => {
    expect(run("States.Base64Encode($.s)", { s: "x".repeat(10_000) }).ok).toBe(true);
    expect(run("States.Base64Encode($.s)", { s: "x".repeat(10_001) })).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.Base64Encode(1)")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});

describe("States.Base64Decode", () => {
  it("decodes a string (AWS example)", () => {
    expect(run("States.Base64Decode($.base64)", { base64: "RGF0YSB0byBlbmNvZGU=" })).toEqual({
      ok: true,
      value: "Data to encode",
    });
  });

  it("round-trips UTF-8 text", () => {
    expect(run("States.Base64Decode(States.Base64Encode('Grüße, 世界 🚀'))")).toEqual({
      ok: true,
      value: "Grüße, 世界 🚀",
    });
  });

  it("refuses text that is not Base64 or not UTF-8", () => {
    expect(run("States.Base64Decode('not base64!')")).toMatchObject({
      ok: false,
      error: "States.IntrinsicFailure",
    });
    expect(run("States.Base64Decode('/w==')")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});

describe("States.StringSplit", () => {
  it("splits on a delimiter (AWS example)", () => {
    expect(
      run("States.StringSplit($.inputString, $.splitter)", { inputString: "1,2,3,4,5", splitter: "," }),
    ).toEqual({
      ok: true,
      value: ["1", "2", "3", "4", "5"],
    });
  });

  it("splits on every character of the delimiter string (AWS example)", () => {
    const input = { inputString: "This.is+a,test=string", splitter: ".+,=" };
    expect(run("States.StringSplit($.inputString, $.splitter)", input)).toEqual({
      ok: true,
      value: ["This", "is", "a", "test", "string"],
    });
  });

  it("drops empty pieces", () => {
    expect(run("States.StringSplit(',a,,b,', ',')")).toEqual({ ok: true, value: ["a", "b"] });
  });

  it("refuses non-strings", () => {
    expect(run("States.StringSplit(1, ',')")).toMatchObject({ ok: false, error: "States.IntrinsicFailure" });
  });
});
