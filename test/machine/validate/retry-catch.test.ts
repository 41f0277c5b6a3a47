import { describe, expect, it } from "vitest";
import { errorKeys, machine } from "./helpers.ts";

const withHandlers = (handlers: Record<string, unknown>) =>
  machine({ T: { Type: "Task", Resource: "http:invoke", ...handlers, End: true }, H: { Type: "Fail" } });

describe("Retry", () => {
  it("accepts a fully specified retrier", () => {
    const retrier = {
      ErrorEquals: ["States.Timeout"],
      IntervalSeconds: 2,
      MaxAttempts: 0,
      BackoffRate: 1,
      MaxDelaySeconds: 60,
      JitterStrategy: "FULL",
    };
    expect(
      errorKeys(machine({ T: { Type: "Task", Resource: "http:invoke", Retry: [retrier], End: true } })),
    ).toEqual([]);
  });

  it("refuses out-of-range IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds and JitterStrategy", () => {
    const retrier = {
      ErrorEquals: ["E"],
      IntervalSeconds: 0,
      MaxAttempts: -1,
      BackoffRate: 0.5,
      MaxDelaySeconds: 0,
      JitterStrategy: "HALF",
    };
    expect(
      errorKeys(machine({ T: { Type: "Task", Resource: "http:invoke", Retry: [retrier], End: true } })),
    ).toEqual([
      "INVALID_VALUE /States/T/Retry/0/IntervalSeconds",
      "INVALID_VALUE /States/T/Retry/0/MaxAttempts",
      "INVALID_VALUE /States/T/Retry/0/MaxDelaySeconds",
      "INVALID_VALUE /States/T/Retry/0/JitterStrategy",
      "INVALID_VALUE /States/T/Retry/0/BackoffRate",
    ]);
  });

  it("requires ErrorEquals to be a non-empty array of strings", () => {
    const t = (ErrorEquals: unknown) =>
      machine({ T: { Type: "Task", Resource: "http:invoke", Retry: [{ ErrorEquals }], End: true } });
    expect(errorKeys(t([]))).toEqual(["INVALID_ERROR_EQUALS /States/T/Retry/0/ErrorEquals"]);
    expect(errorKeys(t([true]))).toEqual(["INVALID_TYPE /States/T/Retry/0/ErrorEquals/0"]);
    expect(
      errorKeys(machine({ T: { Type: "Task", Resource: "http:invoke", Retry: [{}], End: true } })),
    ).toEqual(["MISSING_FIELD /States/T/Retry/0"]);
  });

  it("requires States.ALL to be alone and in the last retrier", () => {
    const t = (...Retry: unknown[]) =>
      machine({ T: { Type: "Task", Resource: "http:invoke", Retry, End: true } });
    expect(errorKeys(t({ ErrorEquals: ["States.ALL", "E"] }))).toEqual([
      "INVALID_ERROR_EQUALS /States/T/Retry/0/ErrorEquals",
    ]);
    expect(errorKeys(t({ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["E"] }))).toEqual([
      "INVALID_ERROR_EQUALS /States/T/Retry/0/ErrorEquals",
    ]);
    expect(errorKeys(t({ ErrorEquals: ["E"] }, { ErrorEquals: ["States.ALL"] }))).toEqual([]);
  });

  it("refuses Retry that is not an array of objects and unknown retrier fields", () => {
    expect(
      errorKeys(machine({ T: { Type: "Task", Resource: "http:invoke", Retry: {}, End: true } })),
    ).toEqual(["INVALID_TYPE /States/T/Retry"]);
    expect(
      errorKeys(
        machine({
          T: {
            Type: "Task",
            Resource: "http:invoke",
            Retry: [{ ErrorEquals: ["E"], Backoff: 2 }],
            End: true,
          },
        }),
      ),
    ).toEqual(["UNKNOWN_FIELD /States/T/Retry/0/Backoff"]);
  });
});

describe("Catch", () => {
  it("accepts ErrorEquals, Next and ResultPath", () => {
    expect(
      errorKeys(withHandlers({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "H", ResultPath: "$.error" }] })),
    ).toEqual([]);
  });

  it("requires Next naming a state, and ErrorEquals", () => {
    expect(
      errorKeys(withHandlers({ Catch: [{ ErrorEquals: ["E"], Next: "H" }, { ErrorEquals: ["E"] }] })),
    ).toContain("MISSING_FIELD /States/T/Catch/1");
    expect(
      errorKeys(
        withHandlers({
          Catch: [
            { ErrorEquals: ["E"], Next: "Nope" },
            { ErrorEquals: ["F"], Next: "H" },
          ],
        }),
      ),
    ).toEqual(["MISSING_TRANSITION_TARGET /States/T/Catch/0/Next"]);
    expect(errorKeys(withHandlers({ Catch: [{ "Error Equals": ["E"], Next: "H" }] }))).toEqual([
      "UNKNOWN_FIELD /States/T/Catch/0/Error Equals",
      "MISSING_FIELD /States/T/Catch/0",
    ]);
  });

  it("requires States.ALL to be alone and in the last catcher", () => {
    const catchers = [
      { ErrorEquals: ["States.ALL"], Next: "H" },
      { ErrorEquals: ["E"], Next: "H" },
    ];
    expect(errorKeys(withHandlers({ Catch: catchers }))).toEqual([
      "INVALID_ERROR_EQUALS /States/T/Catch/0/ErrorEquals",
    ]);
  });

  it("requires a catcher's ResultPath to be a writable reference path", () => {
    expect(
      errorKeys(withHandlers({ Catch: [{ ErrorEquals: ["E"], Next: "H", ResultPath: "$.a[*]" }] })),
    ).toEqual(["INVALID_REFERENCE_PATH /States/T/Catch/0/ResultPath"]);
  });
});
