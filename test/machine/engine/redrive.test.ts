// Redrive in the pure engine: what AWS re-runs and what it keeps, the ExecutionRedriven event, the
// redrive count in $$, and when an execution can no longer be redriven.
import { describe, expect, it } from "vitest";
import type { InvokeTaskEffect } from "../../../src/machine/effects.ts";
import { REDRIVE_WINDOW_MS, redrivability } from "../../../src/machine/redrive.ts";
import type { ExecutionSnapshot } from "../../../src/machine/snapshot.ts";
import { redrive, type StepResult, startExecution, step } from "../../../src/machine/step.ts";
import type { JsonValue, StateMachineDefinition } from "../../../src/machine/types.ts";
import { T0 } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
type Answer = { output: JsonValue } | { error: string } | "hang";

/** Runs until nothing is left to answer; `answer` decides each call by its state name. */
async function drive(
  definition: StateMachineDefinition,
  result: StepResult,
  now: number,
  answer: (e: InvokeTaskEffect) => Answer,
) {
  let snapshot = result.snapshot;
  const queue = [...result.effects];
  const calls: InvokeTaskEffect[] = [];
  const events = [...result.events];
  while (queue.length > 0 && snapshot.status === "RUNNING") {
    const call = queue.shift()!;
    calls.push(call);
    const a = answer(call);
    if (a === "hang") continue;
    const next = await step(
      definition,
      snapshot,
      "output" in a
        ? { type: "task_succeeded", taskId: call.taskId, output: a.output }
        : { type: "task_failed", taskId: call.taskId, error: a.error, cause: "" },
      { now, random: () => 0.5 },
    );
    snapshot = next.snapshot;
    events.push(...next.events);
    queue.push(...next.effects);
  }
  return { snapshot, calls, events };
}

const start = (definition: StateMachineDefinition, input: JsonValue = {}) =>
  startExecution(definition, {
    input,
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });

async function redriven(definition: StateMachineDefinition, snapshot: ExecutionSnapshot, now = T0 + 60_000) {
  const result = await redrive(definition, snapshot, { now, random: () => 0.5 });
  if (!("snapshot" in result)) throw new Error(result.reason);
  return result;
}

describe("redrive", () => {
  const pipeline: StateMachineDefinition = {
    StartAt: "Prepare",
    States: {
      Prepare: { Type: "Pass", Result: { prepared: true }, ResultPath: "$.p", Next: "First" },
      First: { Type: "Task", Resource: HTTP, Parameters: { step: 1 }, ResultPath: "$.first", Next: "Charge" },
      Charge: {
        Type: "Task",
        Resource: HTTP,
        Parameters: { "count.$": "$$.Execution.RedriveCount" },
        Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 1, IntervalSeconds: 1 }],
        End: true,
      },
    },
  };

  it("runs again only the Task that failed, with its input and fresh retries, after ExecutionRedriven", async () => {
    const failed = await drive(pipeline, await start(pipeline, { order: 7 }), T0, (c) =>
      c.stateName === "First" ? { output: "ok" } : { error: "Down" },
    );
    expect(failed.snapshot.status).toBe("FAILED");
    const result = await redriven(pipeline, failed.snapshot);
    expect(result.events[0]).toMatchObject({
      type: "ExecutionRedriven",
      executionRedrivenEventDetails: { redriveCount: 1 },
    });
    expect(result.events[0]!.id).toBe(failed.snapshot.eventCounter + 1);
    expect(result.effects.map((e) => e.stateName)).toEqual(["Charge"]);
    expect(result.effects[0]!.parameters).toEqual({ count: 1 });
    expect(result.effects[0]!.attempt).toBe(0);
    const done = await drive(pipeline, result, T0 + 60_000, () => ({ output: "charged" }));
    expect(done.snapshot.status).toBe("SUCCEEDED");
    expect(done.snapshot.output).toBe("charged");
    expect(done.snapshot.execution.redriveCount).toBe(1);
    expect(done.calls.map((c) => c.stateName)).toEqual(["Charge"]);
  });

  it("re-enters a Fail state, which fails again", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "F" }, F: { Type: "Fail", Error: "Nope" } },
    };
    const failed = await start(definition);
    const result = await redriven(definition, failed.snapshot);
    expect(result.snapshot.status).toBe("FAILED");
    expect(result.events.map((e) => e.type)).toEqual([
      "ExecutionRedriven",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
  });

  it("goes on after a stop: the Task that was waiting is called again, with a new id and idempotency key", async () => {
    const started = await start(pipeline);
    const waiting = await drive(pipeline, started, T0, () => "hang");
    const stopped = await step(
      pipeline,
      waiting.snapshot,
      { type: "stop", error: "Manual" },
      { now: T0 + 1, random: () => 0 },
    );
    expect(stopped.snapshot.status).toBe("ABORTED");
    const result = await redriven(pipeline, stopped.snapshot);
    expect(result.effects).toHaveLength(1);
    expect(result.effects[0]!.stateName).toBe("First");
    expect(result.effects[0]!.taskId).not.toBe(waiting.calls[0]!.taskId);
    expect(result.effects[0]!.idempotencyKey).not.toBe(waiting.calls[0]!.idempotencyKey);
  });

  it("Parallel: only the branch that failed and the one it aborted run again, each from where it stopped", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "A",
              States: { A: { Type: "Task", Resource: HTTP, Parameters: { b: "a" }, End: true } },
            },
            {
              StartAt: "B1",
              States: {
                B1: { Type: "Task", Resource: HTTP, Parameters: { b: "b1" }, Next: "B2" },
                B2: { Type: "Task", Resource: HTTP, Parameters: { b: "b2" }, End: true },
              },
            },
            {
              StartAt: "C",
              States: { C: { Type: "Task", Resource: HTTP, Parameters: { b: "c" }, End: true } },
            },
          ],
          End: true,
        },
      },
    };
    // A succeeds, B1 succeeds and B2 fails, C is still running when the Parallel fails.
    const failed = await drive(definition, await start(definition), T0, (c) =>
      c.stateName === "B2" ? { error: "Down" } : c.stateName === "C" ? "hang" : { output: c.stateName },
    );
    expect(failed.snapshot.status).toBe("FAILED");
    const result = await redriven(definition, failed.snapshot);
    expect(result.effects.map((e) => e.stateName).sort()).toEqual(["B2", "C"]);
    const done = await drive(definition, result, T0 + 60_000, (c) => ({ output: c.stateName }));
    expect(done.snapshot.status).toBe("SUCCEEDED");
    expect(done.snapshot.output).toEqual(["A", "B2", "C"]);
  });

  it("Map: only the iterations that failed (and those not started) run again", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          MaxConcurrency: 2,
          ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: HTTP, End: true } } },
          End: true,
        },
      },
    };
    const failed = await drive(definition, await start(definition, [1, 2, 3, 4]), T0, (c) =>
      c.parameters === 2 ? { error: "Down" } : { output: (c.parameters as number) * 10 },
    );
    expect(failed.snapshot.status).toBe("FAILED");
    const calledBefore = failed.calls.map((c) => c.parameters);
    const result = await redriven(definition, failed.snapshot);
    const done = await drive(definition, result, T0 + 60_000, (c) => ({
      output: (c.parameters as number) * 10,
    }));
    expect(done.snapshot.status).toBe("SUCCEEDED");
    expect(done.snapshot.output).toEqual([10, 20, 30, 40]);
    const again = done.calls.map((c) => c.parameters);
    expect(again).toContain(2);
    for (const item of calledBefore) if (item !== 2) expect(again).not.toContain(item);
  });

  it("restarts the execution timeout", async () => {
    const definition: StateMachineDefinition = { ...pipeline, TimeoutSeconds: 30 };
    const waiting = await drive(definition, await start(definition), T0, () => "hang");
    const timedOut = await step(
      definition,
      waiting.snapshot,
      { type: "timer_fired" },
      { now: T0 + 30_000, random: () => 0 },
    );
    expect(timedOut.snapshot.status).toBe("TIMED_OUT");
    const result = await redriven(definition, timedOut.snapshot, T0 + 100_000);
    expect(result.snapshot.timeoutAt).toBe(T0 + 130_000);
  });
});

describe("redrivability", () => {
  it("refuses running and succeeded executions, and after 14 days", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "A",
      States: { A: { Type: "Task", Resource: HTTP, End: true } },
    };
    const running = await start(definition);
    expect(redrivability(running.snapshot, T0)).toEqual({
      redrivable: false,
      reason: "Execution is RUNNING and cannot be redriven",
    });
    const succeeded = await drive(definition, running, T0, () => ({ output: 1 }));
    expect(redrivability(succeeded.snapshot, T0)).toMatchObject({
      reason: "Execution is SUCCEEDED and cannot be redriven",
    });
    const failed = await drive(definition, await start(definition), T0, () => ({ error: "X" }));
    expect(redrivability(failed.snapshot, T0 + REDRIVE_WINDOW_MS)).toEqual({ redrivable: true });
    expect(redrivability(failed.snapshot, T0 + REDRIVE_WINDOW_MS + 1)).toEqual({
      redrivable: false,
      reason: "Execution redrivable period exceeded",
    });
  });
});

describe("an execution-wide limit besides TimeoutSeconds (StartSyncExecution's five minutes)", () => {
  it("ends the execution TIMED_OUT at the shorter of the two", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "A",
      TimeoutSeconds: 600,
      States: { A: { Type: "Task", Resource: HTTP, End: true } },
    };
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
      maxSeconds: 300,
    });
    expect(started.snapshot.timeoutAt).toBe(T0 + 300_000);
    const ended = await step(
      definition,
      started.snapshot,
      { type: "timer_fired" },
      { now: T0 + 300_000, random: () => 0 },
    );
    expect(ended.snapshot).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
  });
});
