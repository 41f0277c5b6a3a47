// Deadlines settle in time order even when the step comes late: what fell due before the
// execution's TimeoutSeconds (a Wait's end, a task's own timeout) happens before it, so a late
// alarm (a moved clock, an eviction) does not turn an execution that finished in time into TIMED_OUT.
import { describe, expect, it } from "vitest";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, T0, types } from "./support/driver.ts";

const definition: StateMachineDefinition = {
  StartAt: "W",
  TimeoutSeconds: 10,
  States: { W: { Type: "Wait", Seconds: 5, Next: "Done" }, Done: { Type: "Succeed" } },
};

describe("deadlines settle in time order", () => {
  it("a Wait that ended at 5 s succeeds even when the alarm runs at 11 s (TimeoutSeconds 10)", async () => {
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    const late = await step(
      definition,
      started.snapshot,
      { type: "timer_fired" },
      { now: at(11), random: () => 0 },
    );
    expect(types(late.events)).toContain("WaitStateExited");
    expect(late.snapshot.status).toBe("SUCCEEDED");
  });

  it("a Task timeout (5 s) that came before the execution timeout (10 s) is caught when the alarm runs at 11 s", async () => {
    // A Task with TimeoutSeconds 5 inside an execution TimeoutSeconds 10: at 11 s the task's own
    // timeout (5 s) came first, so the state should fail with States.Timeout (catchable), not the
    // execution with TIMED_OUT.
    const d: StateMachineDefinition = {
      StartAt: "T",
      TimeoutSeconds: 10,
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke",
          TimeoutSeconds: 5,
          Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Succeed" },
      },
    };
    const started = await startExecution(d, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    const late = await step(d, started.snapshot, { type: "timer_fired" }, { now: at(11), random: () => 0 });
    expect(late.snapshot.status).toBe("SUCCEEDED");
  });
});
