import { describe, expect, it } from "vitest";
import { pendingTasks } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { echo, run, T0, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";

const oneTask = (task: object = {}): StateMachineDefinition => ({
  StartAt: "Call",
  States: { Call: { Type: "Task", Resource: HTTP, ...task, End: true } },
});

describe("Task state", () => {
  it("emits one invoke_task effect with a stable idempotency key and waits for the answer", async () => {
    const started = await startExecution(oneTask({ Parameters: { "id.$": "$.id" } }), {
      input: { id: 1 },
      executionName: "order-1",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    expect(started.effects).toEqual([
      {
        type: "invoke_task",
        taskId: "t1",
        resource: HTTP,
        parameters: { id: 1 },
        idempotencyKey: "order-1/Call/0",
        attempt: 0,
        stateName: "Call",
        timeoutAt: T0 + 99_999_999 * 1000,
      },
    ]);
    expect(pendingTasks(started.snapshot)).toEqual(started.effects);
    expect(types(started.events)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
    ]);
    const scheduled = started.events[2];
    expect(scheduled?.type === "TaskScheduled" && scheduled.taskScheduledEventDetails).toEqual({
      resource: "invoke",
      resourceType: "http",
      parameters: '{"id":1}',
    });
  });

  it("ends with the task's result", async () => {
    const r = await run(oneTask(), { a: 1 }, { tasks: () => ({ output: { ok: true } }) });
    expect(r.snapshot.output).toEqual({ ok: true });
    expect(types(r.events)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("ignores an answer for a task that is not waiting", async () => {
    const definition = oneTask();
    const started = await startExecution(definition, {
      input: {},
      executionName: "e",
      machineName: "m",
      machineVersion: 1,
      startedAt: T0,
    });
    const stale = await step(
      definition,
      started.snapshot,
      { type: "task_succeeded", taskId: "t99", output: 1 },
      { now: T0, random: Math.random },
    );
    expect(stale.events).toEqual([]);
    expect(stale.snapshot).toEqual(started.snapshot);
  });

  it("fails the execution with the task's error when nothing catches it", async () => {
    const r = await run(
      oneTask(),
      {},
      { tasks: () => ({ error: "States.Http.StatusCode.500", cause: "boom" }) },
    );
    expect(r.snapshot).toMatchObject({
      status: "FAILED",
      error: "States.Http.StatusCode.500",
      cause: "boom",
    });
    expect(types(r.events).slice(-2)).toEqual(["TaskFailed", "ExecutionFailed"]);
  });

  it("gives .waitForTaskToken tasks a token made by the shell, visible as $$.Task.Token", async () => {
    const definition = oneTask({
      Resource: `${HTTP}.waitForTaskToken`,
      Parameters: { "token.$": "$$.Task.Token" },
    });
    const started = await startExecution(
      definition,
      { input: {}, executionName: "e", machineName: "m", machineVersion: 1, startedAt: T0 },
      { makeTaskToken: (taskId) => `signed:${taskId}` },
    );
    expect(started.effects[0]).toMatchObject({ taskToken: "signed:t1", parameters: { token: "signed:t1" } });
    const scheduled = started.events.find((e) => e.type === "TaskScheduled");
    expect(scheduled?.type === "TaskScheduled" && scheduled.taskScheduledEventDetails.resource).toBe(
      "invoke.waitForTaskToken",
    );
    const done = await step(
      definition,
      started.snapshot,
      { type: "task_succeeded", taskId: "t1", output: { approved: true } },
      { now: T0 + 5000, random: Math.random },
    );
    expect(done.snapshot.output).toEqual({ approved: true });
  });

  it("gives distinct idempotency keys to repeated visits of a state", async () => {
    const r = await run(
      {
        StartAt: "Call",
        States: {
          Call: { Type: "Task", Resource: HTTP, ResultPath: "$.r", Next: "Again" },
          Again: {
            Type: "Choice",
            Choices: [{ Variable: "$.r.n", NumericLessThan: 3, Next: "Call" }],
            Default: "Done",
          },
          Done: { Type: "Succeed" },
        },
      },
      { n: 0 },
      { tasks: (call) => ({ output: { n: Number(call.taskId.slice(1)) } }) },
    );
    expect(r.invokes.map((c) => c.idempotencyKey)).toEqual([
      "exec-1/Call/0",
      "exec-1/Call#2/0",
      "exec-1/Call#3/0",
    ]);
  });

  it("passes its input as parameters when there is no Parameters field", async () => {
    const r = await run(oneTask(), { x: [1, 2] }, { tasks: echo });
    expect(r.invokes[0]?.parameters).toEqual({ x: [1, 2] });
  });
});
