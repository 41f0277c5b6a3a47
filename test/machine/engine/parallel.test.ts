import { describe, expect, it } from "vitest";
import { currentStates, stateOutcomes } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, T0, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";

const twoBranches = (extra: object = {}): StateMachineDefinition => ({
  StartAt: "Both",
  States: {
    Both: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "A",
          States: { A: { Type: "Task", Resource: HTTP, Parameters: { branch: "a" }, End: true } },
        },
        {
          StartAt: "B",
          States: { B: { Type: "Task", Resource: HTTP, Parameters: { branch: "b" }, End: true } },
        },
      ],
      ...extra,
      End: true,
    },
    Recover: { Type: "Pass", End: true },
  },
});

const start = async (definition: StateMachineDefinition) =>
  await startExecution(definition, {
    input: {},
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });

describe("Parallel state", () => {
  it("runs all branches at once and collects results in branch order, whatever order they finish in", async () => {
    const definition = twoBranches();
    const started = await start(definition);
    expect(started.effects.map((e) => [e.stateName, e.idempotencyKey])).toEqual([
      ["A", "e/Both[0]/A/0"],
      ["B", "e/Both[1]/B/0"],
    ]);
    expect(currentStates(started.snapshot)).toEqual(["A", "B", "Both"]);
    const env = { now: T0 + 1000, random: () => 0 };
    const bDone = await step(
      definition,
      started.snapshot,
      { type: "task_succeeded", taskId: "t2", output: "from b" },
      env,
    );
    expect(bDone.snapshot.status).toBe("RUNNING");
    const allDone = await step(
      definition,
      bDone.snapshot,
      { type: "task_succeeded", taskId: "t1", output: "from a" },
      env,
    );
    expect(allDone.snapshot.output).toEqual(["from a", "from b"]);
    expect(types(allDone.events).slice(-4)).toEqual([
      "TaskStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails with the failing branch's error and stops the other branches", async () => {
    const definition = twoBranches();
    const started = await start(definition);
    const env = { now: T0, random: () => 0 };
    const failed = await step(
      definition,
      started.snapshot,
      { type: "task_failed", taskId: "t1", error: "Bad", cause: "a" },
      env,
    );
    expect(failed.snapshot).toMatchObject({ status: "FAILED", error: "Bad", cause: "a" });
    expect(types(failed.events).slice(-2)).toEqual(["ParallelStateFailed", "ExecutionFailed"]);
    const late = await step(
      definition,
      failed.snapshot,
      { type: "task_succeeded", taskId: "t2", output: 1 },
      env,
    );
    expect(late.events).toEqual([]);
  });

  it("applies Retry and Catch to the whole Parallel state", async () => {
    // The retried attempt gets new idempotency keys (`@1`), so its calls are made again.
    const r = await run(
      twoBranches({
        Retry: [{ ErrorEquals: ["Bad"], MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Recover" }],
      }),
      { in: 1 },
      { tasks: (call) => (call.stateName === "A" ? { error: "Bad" } : { output: 1 }) },
    );
    expect(r.invokes.map((c) => c.idempotencyKey)).toEqual([
      "exec-1/Both[0]/A/0",
      "exec-1/Both[1]/B/0",
      "exec-1/Both@1[0]/A/0",
    ]);
    expect(r.snapshot.output).toEqual({ in: 1, error: { Error: "Bad", Cause: "" } });
    expect(stateOutcomes(r.snapshot)).toMatchObject({ Both: "caught", A: "failed", Recover: "succeeded" });
  });

  it("gives every branch the effective input and shapes the results with ResultSelector and ResultPath", async () => {
    const r = await run(
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            InputPath: "$.x",
            Branches: [
              { StartAt: "One", States: { One: { Type: "Pass", End: true } } },
              { StartAt: "Two", States: { Two: { Type: "Pass", Result: 2, End: true } } },
            ],
            ResultSelector: { "first.$": "$[0]", "second.$": "$[1]" },
            ResultPath: "$.results",
            End: true,
          },
        },
      },
      { x: { v: 1 } },
    );
    expect(r.snapshot.output).toEqual({ x: { v: 1 }, results: { first: { v: 1 }, second: 2 } });
  });
});
