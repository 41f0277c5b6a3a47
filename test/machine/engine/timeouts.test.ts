import { describe, expect, it } from "vitest";
import { nextWakeAt } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, run, T0, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
const start = async (definition: StateMachineDefinition) =>
  await startExecution(definition, {
    input: {},
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });
const env = (seconds: number) => ({ now: at(seconds), random: () => 0 });

describe("task timeouts", () => {
  it("fails a task with States.Timeout when TimeoutSeconds passes", async () => {
    const r = await run(
      { StartAt: "T", States: { T: { Type: "Task", Resource: HTTP, TimeoutSeconds: 10, End: true } } },
      {},
      { tasks: () => "hang" },
    );
    expect(r.wakes).toEqual([at(10)]);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(types(r.events).slice(-2)).toEqual(["TaskTimedOut", "ExecutionFailed"]);
  });

  it("reads TimeoutSecondsPath from the input", async () => {
    const r = await run(
      { StartAt: "T", States: { T: { Type: "Task", Resource: HTTP, TimeoutSecondsPath: "$.t", End: true } } },
      { t: 7 },
      { tasks: () => "hang" },
    );
    expect(r.wakes).toEqual([at(7)]);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Timeout" });
  });

  for (const [field, input] of [
    ["TimeoutSecondsPath", { t: "10" }],
    ["TimeoutSecondsPath", { t: 0 }],
    ["TimeoutSecondsPath", { t: -5 }],
    ["TimeoutSecondsPath", { t: 1.5 }],
    ["TimeoutSecondsPath", {}],
    ["HeartbeatSecondsPath", { t: "5" }],
  ] as const) {
    it(`fails with States.Runtime, without calling, when ${field} selects ${JSON.stringify(input)}`, async () => {
      const definition = {
        StartAt: "T",
        States: { T: { Type: "Task", Resource: HTTP, [field]: "$.t", End: true } },
      } as StateMachineDefinition;
      const r = await run(definition, input, { tasks: () => "hang" });
      expect(r.invokes).toEqual([]);
      expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Runtime" });
      expect(r.snapshot.cause).toContain(
        `The ${field} parameter does not reference a valid positive integer`,
      );
    });
  }

  it("ignores an answer that arrives after the timeout", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: HTTP, TimeoutSeconds: 10, End: true } },
    };
    const late = await step(
      definition,
      (await start(definition)).snapshot,
      { type: "task_succeeded", taskId: "t1", output: 1 },
      env(11),
    );
    expect(late.snapshot.error).toBe("States.Timeout");
    expect(types(late.events)).toEqual(["TaskTimedOut", "ExecutionFailed"]);
  });

  it("fails with States.HeartbeatTimeout when heartbeats stop, and each heartbeat moves the deadline", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: HTTP, TimeoutSeconds: 100, HeartbeatSeconds: 10, End: true } },
    };
    const started = await start(definition);
    expect(nextWakeAt(started.snapshot)).toBe(at(10));
    const beat = await step(definition, started.snapshot, { type: "task_heartbeat", taskId: "t1" }, env(8));
    expect(beat.events).toEqual([]);
    expect(nextWakeAt(beat.snapshot)).toBe(at(18));
    const quiet = await step(definition, beat.snapshot, { type: "timer_fired" }, env(18));
    expect(quiet.snapshot.error).toBe("States.HeartbeatTimeout");
    const timedOut = quiet.events[0];
    expect(timedOut?.type === "TaskTimedOut" && timedOut.taskTimedOutEventDetails.error).toBe(
      "States.HeartbeatTimeout",
    );
  });

  it("retries a timed-out task like any other error", async () => {
    const r = await run(
      {
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: HTTP,
            TimeoutSeconds: 5,
            Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 1 }],
            End: true,
          },
        },
      },
      {},
      { tasks: () => "hang" },
    );
    expect(r.wakes).toEqual([at(5), at(6), at(11)]);
    expect(r.invokes).toHaveLength(2);
  });
});

describe("execution timeout", () => {
  it("times the execution out with ExecutionTimedOut at TimeoutSeconds", async () => {
    const r = await run({
      TimeoutSeconds: 60,
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 3600, End: true } },
    });
    expect(r.wakes).toEqual([at(60)]);
    expect(r.snapshot).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout", stoppedAt: at(60) });
    expect(types(r.events).at(-1)).toBe("ExecutionTimedOut");
    expect(nextWakeAt(r.snapshot)).toBeNull();
  });
});
