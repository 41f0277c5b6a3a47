import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES, payloadBytes } from "../../../src/machine/data-limit.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
// 262,144 bytes of JSON is the limit; a string of that many characters is 2 bytes over.
const tooBig = "x".repeat(MAX_PAYLOAD_BYTES);
/** Twice this is over the limit: Parameters that copy it twice build a state input too large. */
const half = "h".repeat(MAX_PAYLOAD_BYTES / 2);

describe("States.DataLimitExceeded", () => {
  it("measures payloads as UTF-8 bytes of their JSON", async () => {
    expect(payloadBytes("é")).toBe(4);
    expect(payloadBytes({ a: 1 })).toBe(7);
  });

  it("fails the execution when its input is over 256 KiB", async () => {
    const r = await run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, tooBig);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(types(r.events)).toEqual(["ExecutionStarted", "ExecutionFailed"]);
  });

  it("fails a task whose result is over the limit, and States.ALL does not catch it", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: HTTP,
          Retry: [{ ErrorEquals: ["States.ALL"] }],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Succeed" },
      },
    };
    const r = await run(definition, {}, { tasks: () => ({ output: tooBig }) });
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(r.invokes).toHaveLength(1);
  });

  it("can be caught by naming it", async () => {
    const r = await run(
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: HTTP,
            Catch: [{ ErrorEquals: ["States.DataLimitExceeded"], Next: "Caught" }],
            End: true,
          },
          Caught: { Type: "Pass", Result: "small", End: true },
        },
      },
      {},
      { tasks: () => ({ output: tooBig }) },
    );
    expect(r.snapshot.output).toBe("small");
  });

  it("fails a state whose output grows past the limit", async () => {
    const r = await run(
      {
        StartAt: "Grow",
        States: {
          Grow: { Type: "Pass", Parameters: { "a.$": "$.s", "b.$": "$.s" }, End: true },
        },
      },
      { s: "y".repeat(MAX_PAYLOAD_BYTES / 2) },
    );
    expect(r.snapshot.error).toBe("States.DataLimitExceeded");
  });

  it("fails a loop that nests its data one level deeper on every pass, past 128 levels", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Wrap",
      States: { Wrap: { Type: "Pass", Parameters: { "x.$": "$" }, Next: "Wrap" } },
    };
    const r = await run(definition, {});
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(r.snapshot.cause).toContain("nested deeper than 128 levels");
  });
});

describe("States.DataLimitExceeded for a state input built by Parameters, and a catcher's output", () => {
  it("fails a Task whose Parameters build an input over the limit, without calling it", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: HTTP, Parameters: { "a.$": "$.half", "b.$": "$.half" }, End: true },
      },
    };
    const r = await run(definition, { half }, { tasks: () => ({ output: 1 }) });
    expect(r.invokes).toHaveLength(0);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(r.snapshot.cause).toContain("The state 'T' input after Parameters");
  });

  it("fails a JSONata Task whose Arguments build an input over the limit, without calling it", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: HTTP,
          Arguments: "{% {'a': $states.input.half, 'b': $states.input.half} %}",
          End: true,
        },
      },
    };
    const r = await run(definition, { half }, { tasks: () => ({ output: 1 }) });
    expect(r.invokes).toHaveLength(0);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });

  it("fails a Parallel whose Parameters build an input over the limit, before any branch starts", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Parameters: { "a.$": "$.half", "b.$": "$.half" },
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }],
          End: true,
        },
      },
    };
    const r = await run(definition, { half });
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(types(r.events)).not.toContain("ParallelStateStarted");
  });

  it("fails a Map whose ItemSelector builds an iteration input over the limit; the iteration never runs", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemSelector: { "a.$": "$.half", "b.$": "$.half" },
          ItemProcessor: {
            StartAt: "T",
            States: { T: { Type: "Task", Resource: HTTP, Parameters: { x: 1 }, End: true } },
          },
          End: true,
        },
      },
    };
    const r = await run(definition, { half, items: [1] }, { tasks: () => ({ output: 1 }) });
    expect(r.invokes).toHaveLength(0);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(r.snapshot.cause).toContain("The input of iteration 0 of state 'M'");
  });

  it("fails the catching state when the Catch ResultPath output is over the limit; Next is never entered", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: HTTP,
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "N" }],
          End: true,
        },
        N: { Type: "Pass", Result: "ran", End: true },
      },
    };
    const r = await run(
      definition,
      { pad: "q".repeat(MAX_PAYLOAD_BYTES - 20_000) },
      { tasks: () => ({ error: "Boom", cause: "c".repeat(30_000) }) },
    );
    expect(types(r.events)).not.toContain("PassStateEntered");
    expect(types(r.events)).not.toContain("TaskStateExited");
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});
