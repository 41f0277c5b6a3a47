import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run } from "./support/driver.ts";

const definition: StateMachineDefinition = {
  StartAt: "Init",
  States: {
    Init: { Type: "Pass", Result: { amount: 5 }, ResultPath: "$.order", Next: "Charge" },
    Charge: {
      Type: "Task",
      Resource: "arn:aws:states:::http:invoke",
      Parameters: { "amount.$": "$.order.amount" },
      ResultSelector: { "code.$": "$.StatusCode" },
      ResultPath: "$.charge",
      TimeoutSeconds: 30,
      Next: "Pause",
    },
    Pause: { Type: "Wait", Seconds: 5, Next: "Check" },
    Check: {
      Type: "Choice",
      Choices: [{ Variable: "$.charge.code", NumericEquals: 200, Next: "Done" }],
      Default: "Failed",
    },
    Done: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: "ChargeFailed" },
  },
};

describe("history", () => {
  it("records the Step Functions event sequence, ids, causal links and details", async () => {
    const r = await run(definition, { id: "o-1" }, { tasks: () => ({ output: { StatusCode: 200 } }) });
    const t0 = "2026-01-01T12:00:00.000Z";
    const t5 = "2026-01-01T12:00:05.000Z";
    const afterInit = '{"id":"o-1","order":{"amount":5}}';
    const afterCharge = '{"id":"o-1","order":{"amount":5},"charge":{"code":200}}';
    const nt = { truncated: false };
    expect(r.events).toEqual([
      {
        id: 1,
        previousEventId: 0,
        timestamp: t0,
        type: "ExecutionStarted",
        executionStartedEventDetails: {
          input: '{"id":"o-1"}',
          inputDetails: nt,
          roleArn: "arn:edgestate:iam:::role/edgestate-execution",
        },
      },
      {
        id: 2,
        previousEventId: 0,
        timestamp: t0,
        type: "PassStateEntered",
        stateEnteredEventDetails: { name: "Init", input: '{"id":"o-1"}', inputDetails: nt },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: t0,
        type: "PassStateExited",
        stateExitedEventDetails: { name: "Init", output: afterInit, outputDetails: nt },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: t0,
        type: "TaskStateEntered",
        stateEnteredEventDetails: { name: "Charge", input: afterInit, inputDetails: nt },
      },
      {
        id: 5,
        previousEventId: 4,
        timestamp: t0,
        type: "TaskScheduled",
        taskScheduledEventDetails: {
          resource: "invoke",
          resourceType: "http",
          parameters: '{"amount":5}',
          timeoutInSeconds: 30,
        },
      },
      {
        id: 6,
        previousEventId: 5,
        timestamp: t0,
        type: "TaskStarted",
        taskStartedEventDetails: { resource: "invoke", resourceType: "http" },
      },
      {
        id: 7,
        previousEventId: 6,
        timestamp: t0,
        type: "TaskSucceeded",
        taskSucceededEventDetails: {
          resource: "invoke",
          resourceType: "http",
          output: '{"StatusCode":200}',
          outputDetails: nt,
        },
      },
      {
        id: 8,
        previousEventId: 7,
        timestamp: t0,
        type: "TaskStateExited",
        stateExitedEventDetails: { name: "Charge", output: afterCharge, outputDetails: nt },
      },
      {
        id: 9,
        previousEventId: 8,
        timestamp: t0,
        type: "WaitStateEntered",
        stateEnteredEventDetails: { name: "Pause", input: afterCharge, inputDetails: nt },
      },
      {
        id: 10,
        previousEventId: 9,
        timestamp: t5,
        type: "WaitStateExited",
        stateExitedEventDetails: { name: "Pause", output: afterCharge, outputDetails: nt },
      },
      {
        id: 11,
        previousEventId: 10,
        timestamp: t5,
        type: "ChoiceStateEntered",
        stateEnteredEventDetails: { name: "Check", input: afterCharge, inputDetails: nt },
      },
      {
        id: 12,
        previousEventId: 11,
        timestamp: t5,
        type: "ChoiceStateExited",
        stateExitedEventDetails: { name: "Check", output: afterCharge, outputDetails: nt },
      },
      {
        id: 13,
        previousEventId: 12,
        timestamp: t5,
        type: "SucceedStateEntered",
        stateEnteredEventDetails: { name: "Done", input: afterCharge, inputDetails: nt },
      },
      {
        id: 14,
        previousEventId: 13,
        timestamp: t5,
        type: "SucceedStateExited",
        stateExitedEventDetails: { name: "Done", output: afterCharge, outputDetails: nt },
      },
      {
        id: 15,
        previousEventId: 14,
        timestamp: t5,
        type: "ExecutionSucceeded",
        executionSucceededEventDetails: { output: afterCharge, outputDetails: nt },
      },
    ]);
    expect(r.snapshot.eventCounter).toBe(15);
    expect(r.snapshot.stoppedAt).toBe(Date.parse(t5));
  });

  it("chains a Map iteration's events from its MapIterationStarted", async () => {
    const r = await run(
      {
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
            End: true,
          },
        },
      },
      [1],
    );
    expect(r.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, "ExecutionStarted"],
      [2, 0, "MapStateEntered"],
      [3, 2, "MapStateStarted"],
      [4, 3, "MapIterationStarted"],
      [5, 4, "PassStateEntered"],
      [6, 5, "PassStateExited"],
      [7, 6, "MapIterationSucceeded"],
      [8, 7, "MapStateSucceeded"],
      [9, 8, "MapStateExited"],
      [10, 9, "ExecutionSucceeded"],
    ]);
  });
});
