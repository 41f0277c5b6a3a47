import { describe, expect, it } from "vitest";
import { currentStates, nextWakeAt, pendingTasks } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, T0, types } from "./support/driver.ts";

const definition: StateMachineDefinition = {
  StartAt: "T",
  States: { T: { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true } },
};

describe("stop", () => {
  it("aborts a running execution with ExecutionAborted and leaves nothing pending", async () => {
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    const stopped = await step(
      definition,
      started.snapshot,
      { type: "stop", error: "Manual", cause: "operator" },
      { now: at(5), random: () => 0 },
    );
    expect(stopped.snapshot).toMatchObject({
      status: "ABORTED",
      error: "Manual",
      cause: "operator",
      stoppedAt: at(5),
    });
    expect(types(stopped.events)).toEqual(["ExecutionAborted"]);
    expect(stopped.events[0]).toMatchObject({
      id: 5,
      previousEventId: 4,
      timestamp: "2026-01-01T12:00:05.000Z",
    });
    expect(nextWakeAt(stopped.snapshot)).toBeNull();
    expect(pendingTasks(stopped.snapshot)).toEqual([]);
    expect(currentStates(stopped.snapshot)).toEqual([]);
    const after = await step(
      definition,
      stopped.snapshot,
      { type: "task_succeeded", taskId: "t1", output: 1 },
      {
        now: at(6),
        random: () => 0,
      },
    );
    expect(after.events).toEqual([]);
    expect(after.snapshot.status).toBe("ABORTED");
  });
});
