import { describe, expect, it } from "vitest";
import {
  currentStates,
  type ExecutionSnapshot,
  nextWakeAt,
  pendingTasks,
  stateOutcomes,
} from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, T0 } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
const definition: StateMachineDefinition = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Next: "Call" },
    Call: {
      Type: "Task",
      Resource: HTTP,
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10 }],
      Next: "Later",
    },
    Later: { Type: "Wait", Seconds: 60, End: true },
  },
};

/** What storage does to a snapshot: it must survive a JSON round trip unchanged. */
const stored = (snapshot: ExecutionSnapshot): ExecutionSnapshot => JSON.parse(JSON.stringify(snapshot));

describe("snapshot", () => {
  it("is plain JSON and resumes after a restart mid-retry with the same idempotency key", async () => {
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    expect(stored(started.snapshot)).toEqual(started.snapshot);
    const env = (seconds: number) => ({ now: at(seconds), random: () => 0 });
    const failed = await step(
      definition,
      stored(started.snapshot),
      { type: "task_failed", taskId: "t1", error: "X" },
      env(1),
    );
    expect(nextWakeAt(failed.snapshot)).toBe(at(11));
    // The object is evicted here; a new one loads the stored snapshot and its alarm fires.
    const retried = await step(definition, stored(failed.snapshot), { type: "timer_fired" }, env(11));
    expect(retried.effects).toMatchObject([{ idempotencyKey: "e/Call/1", attempt: 1 }]);
    // Evicted again before the call was made: the shell re-issues what is pending, same key.
    expect(pendingTasks(stored(retried.snapshot))).toEqual(retried.effects);
  });

  it("reports current states and per-state outcomes for the diagram", async () => {
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    expect(currentStates(started.snapshot)).toEqual(["Call"]);
    expect(stateOutcomes(started.snapshot)).toEqual({ Prepare: "succeeded", Call: "in_progress" });
    const done = await step(
      definition,
      started.snapshot,
      { type: "task_succeeded", taskId: "t1", output: {} },
      {
        now: at(1),
        random: () => 0,
      },
    );
    expect(currentStates(done.snapshot)).toEqual(["Later"]);
    expect(nextWakeAt(done.snapshot)).toBe(at(61));
    expect(stateOutcomes(done.snapshot)).toEqual({
      Prepare: "succeeded",
      Call: "succeeded",
      Later: "in_progress",
    });
  });
});
