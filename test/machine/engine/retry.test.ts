import { describe, expect, it } from "vitest";
import { decideRetry, retryDelayMs } from "../../../src/machine/retry.ts";
import { nextWakeAt } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { Retrier, StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, run, T0, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
const failing = { error: "States.TaskFailed", cause: "down" } as const;

const withRetry = (retry: Retrier[]): StateMachineDefinition => ({
  StartAt: "Call",
  States: {
    Call: { Type: "Task", Resource: HTTP, Retry: retry, End: true },
  },
});

describe("Retry", () => {
  it("uses the defaults: 3 retries after 1s, 2s, 4s", async () => {
    const r = await run(withRetry([{ ErrorEquals: ["States.ALL"] }]), {}, { tasks: () => failing });
    expect(r.wakes).toEqual([at(1), at(3), at(7)]);
    expect(r.invokes.map((c) => [c.attempt, c.idempotencyKey])).toEqual([
      [0, "exec-1/Call/0"],
      [1, "exec-1/Call/1"],
      [2, "exec-1/Call/2"],
      [3, "exec-1/Call/3"],
    ]);
    expect(r.snapshot.status).toBe("FAILED");
  });

  it("drives the deadlines through step with timer_fired at chosen times", async () => {
    const definition = withRetry([{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, BackoffRate: 3 }]);
    const env = (seconds: number) => ({ now: at(seconds), random: () => 0 });
    let snap = (
      await startExecution(definition, {
        input: {},
        executionName: "e",
        machineName: "m",
        machineVersion: 1,
        startedAt: T0,
      })
    ).snapshot;
    snap = (await step(definition, snap, { type: "task_failed", taskId: "t1", error: "X" }, env(0))).snapshot;
    expect(nextWakeAt(snap)).toBe(at(2));
    const retried = await step(definition, snap, { type: "timer_fired" }, env(2));
    expect(retried.effects).toMatchObject([{ taskId: "t2", attempt: 1 }]);
    expect(types(retried.events)).toEqual(["TaskScheduled", "TaskStarted"]);
    snap = (
      await step(definition, retried.snapshot, { type: "task_failed", taskId: "t2", error: "X" }, env(2))
    ).snapshot;
    expect(nextWakeAt(snap)).toBe(at(2 + 6));
  });

  it("caps the delay at MaxDelaySeconds", async () => {
    const r = await run(
      withRetry([
        {
          ErrorEquals: ["States.ALL"],
          IntervalSeconds: 1,
          MaxAttempts: 5,
          BackoffRate: 10,
          MaxDelaySeconds: 30,
        },
      ]),
      {},
      { tasks: () => failing },
    );
    expect(r.wakes).toEqual([at(1), at(11), at(41), at(71), at(101)]);
  });

  it("scales the delay by the random source with JitterStrategy FULL", async () => {
    const retrier: Retrier = { ErrorEquals: ["States.ALL"], IntervalSeconds: 10, JitterStrategy: "FULL" };
    expect(retryDelayMs(retrier, 0, () => 0.25)).toBe(2500);
    expect(retryDelayMs(retrier, 2, () => 0.5)).toBe(20_000);
    const r = await run(withRetry([retrier]), {}, { tasks: () => failing, random: () => 0.1 });
    expect(r.wakes).toEqual([at(1), at(3), at(7)]);
  });

  it("never retries with MaxAttempts 0", async () => {
    const r = await run(
      withRetry([{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }]),
      {},
      { tasks: () => failing },
    );
    expect(r.invokes).toHaveLength(1);
  });

  it("uses only the first retrier that matches, even once it is exhausted", async () => {
    const retriers: Retrier[] = [
      { ErrorEquals: ["Custom"], MaxAttempts: 1 },
      { ErrorEquals: ["States.ALL"], MaxAttempts: 5 },
    ];
    expect(decideRetry(retriers, [1, 0], "Custom", () => 0)).toEqual({ retry: false });
    expect(decideRetry(retriers, [1, 0], "Other", () => 0)).toMatchObject({ retry: true, retrierIndex: 1 });
  });

  it("does not retry States.Runtime or States.DataLimitExceeded on States.ALL", async () => {
    const retriers: Retrier[] = [{ ErrorEquals: ["States.ALL"] }];
    expect(decideRetry(retriers, [], "States.Runtime", () => 0)).toEqual({ retry: false });
    expect(decideRetry(retriers, [], "States.DataLimitExceeded", () => 0)).toEqual({ retry: false });
  });

  it("succeeds when a retry succeeds, and exposes the retry count as $$.State.RetryCount", async () => {
    let calls = 0;
    const r = await run(
      {
        StartAt: "Call",
        States: {
          Call: {
            Type: "Task",
            Resource: HTTP,
            Parameters: { "retry.$": "$$.State.RetryCount" },
            Retry: [{ ErrorEquals: ["States.ALL"] }],
            End: true,
          },
        },
      },
      {},
      { tasks: (call) => (++calls < 3 ? failing : { output: call.parameters }) },
    );
    expect(r.snapshot.output).toEqual({ retry: 2 });
  });
});
