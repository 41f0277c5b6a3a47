// TestState in the pure engine: each state type once, the mock for a Task / Map / Parallel, Retry
// and Catch as AWS reports them, and the requests AWS refuses.
import { describe, expect, it } from "vitest";
import {
  refusalOf,
  runTestState,
  type TaskAnswer,
  type TestStateRequest,
} from "../../../src/machine/test-state/run";
import { testTarget } from "../../../src/machine/test-state/target";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const base: Omit<TestStateRequest, "input"> = {
  execution: { id: "arn:x:execution:m:e", name: "e", machineId: "arn:x:stateMachine:m", machineName: "m" },
  now: NOW,
  random: () => 1,
};

async function test(
  definition: unknown,
  request: Partial<TestStateRequest> & { input?: unknown },
  options: { stateName?: string; perform?: (effect: unknown) => Promise<TaskAnswer> } = {},
) {
  const target = testTarget(JSON.stringify(definition), options.stateName, {});
  if (!target.ok) throw new Error(target.message);
  const full = { ...base, input: {}, ...request } as TestStateRequest;
  const refused = refusalOf(target.value, full);
  if (refused) return refused;
  const perform =
    options.perform ?? (async () => ({ ok: false, error: "Unexpected", cause: "a call was made" }) as const);
  return runTestState(target.value, full, perform as never);
}

describe("TestState of each state type", () => {
  it("Pass: output, next state and each data-flow stage", async () => {
    const r = await test(
      {
        Type: "Pass",
        InputPath: "$.data",
        Parameters: { "v.$": "$.value" },
        ResultPath: "$.out",
        Next: "After",
      },
      { input: { data: { value: 1 }, other: true } },
    );
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      nextState: "After",
      output: { data: { value: 1 }, other: true, out: { v: 1 } },
      inspection: {
        input: { data: { value: 1 }, other: true },
        afterInputPath: { value: 1 },
        afterParameters: { v: 1 },
        afterResultSelector: { v: 1 },
        afterResultPath: { data: { value: 1 }, other: true, out: { v: 1 } },
      },
    });
  });

  it("Pass with Result reports the result, not InputPath/Parameters (as AWS does)", async () => {
    const r = await test({ Type: "Pass", Result: { k: "v" }, End: true }, { input: { a: 1 } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { k: "v" } });
    expect("nextState" in r).toBe(false);
    if ("inspection" in r)
      expect(Object.keys(r.inspection).sort()).toEqual([
        "afterResultPath",
        "afterResultSelector",
        "input",
        "result",
      ]);
  });

  it("Choice: the rule that matched names the next state", async () => {
    const r = await test(
      {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericGreaterThan: 10, Next: "Big" }],
        Default: "Small",
      },
      { input: { n: 22 } },
    );
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      nextState: "Big",
      output: { n: 22 },
      inspection: { afterInputPath: { n: 22 } },
    });
  });

  it("Wait: does not wait; hands on its output at once", async () => {
    const r = await test({ Type: "Wait", Seconds: 3600, Next: "Later" }, { input: { x: 1 } });
    expect(r).toMatchObject({ status: "SUCCEEDED", nextState: "Later", output: { x: 1 } });
  });

  it("Succeed: output, no next state", async () => {
    const r = await test({ Type: "Succeed", OutputPath: "$.x" }, { input: { x: [1] } });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: [1] });
  });

  it("Fail: error and cause", async () => {
    const r = await test({ Type: "Fail", Error: "SomeFailure", Cause: "why" }, { input: { v: 1 } });
    expect(r).toMatchObject({
      status: "FAILED",
      error: "SomeFailure",
      cause: "why",
      inspection: { afterInputPath: { v: 1 } },
    });
  });

  it("Task: makes the call through perform and processes its result", async () => {
    const calls: unknown[] = [];
    const r = await test(
      {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Parameters: { ApiEndpoint: "https://example.com", Method: "GET", "Q.$": "$.q" },
        ResultSelector: { "code.$": "$.StatusCode" },
        ResultPath: "$.r",
        End: true,
      },
      { input: { q: "x" } },
      {
        perform: async (effect) => {
          calls.push(effect);
          return { ok: true, output: { StatusCode: 200 } };
        },
      },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      parameters: { ApiEndpoint: "https://example.com", Method: "GET", Q: "x" },
    });
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      output: { q: "x", r: { code: 200 } },
      inspection: {
        afterParameters: { ApiEndpoint: "https://example.com", Method: "GET", Q: "x" },
        result: { StatusCode: 200 },
        afterResultSelector: { code: 200 },
      },
    });
  });

  it("Task with a mocked result: no call is made", async () => {
    const r = await test(
      { Type: "Task", Resource: "edgestate:entity:get", Next: "N" },
      { mock: { result: { Body: 1 } } },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", nextState: "N", output: { Body: 1 } });
  });

  it("Task with a mocked error and a matching Retry: RETRIABLE with the retrier and its backoff", async () => {
    const definition = {
      Type: "Task",
      Resource: "http:invoke",
      Retry: [{ ErrorEquals: ["Boom"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle" }],
      End: true,
    };
    const mock = { error: "Boom", cause: "it broke" };
    const retriable = await test(definition, { mock, retrierRetryCount: 1, input: { data: 1 } });
    expect(retriable).toMatchObject({
      status: "RETRIABLE",
      error: "Boom",
      cause: "it broke",
      inspection: { errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 4 } },
    });
    const caught = await test(definition, { mock, retrierRetryCount: 3, input: { data: 1 } });
    expect(caught).toMatchObject({
      status: "CAUGHT_ERROR",
      nextState: "Handle",
      error: "Boom",
      output: { data: 1, error: { Error: "Boom", Cause: "it broke" } },
      inspection: { errorDetails: { catchIndex: 0 } },
    });
  });

  it("Task with an error nothing handles: FAILED", async () => {
    const r = await test(
      { Type: "Task", Resource: "http:invoke", End: true },
      { mock: { error: "X", cause: "" } },
    );
    expect(r).toMatchObject({ status: "FAILED", error: "X" });
  });

  it("JSONata Task: Arguments and Assign, variables given and set", async () => {
    const r = await test(
      {
        Type: "Task",
        QueryLanguage: "JSONata",
        Resource: "http:invoke",
        Arguments: { total: "{% $states.input.n * $rate %}" },
        Assign: { last: "{% $states.result.ok %}" },
        Output: "{% $states.result %}",
        End: true,
      },
      { input: { n: 2 }, variables: { rate: 10 }, mock: { result: { ok: true } } },
    );
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      output: { ok: true },
      inspection: {
        afterArguments: { total: 20 },
        result: { ok: true },
        variables: { rate: 10, last: true },
      },
    });
  });

  it("Map: the mock is the iterations' result; ItemSelector and the limits are reported", async () => {
    const r = await test(
      {
        Type: "Map",
        ItemsPath: "$.items",
        ItemSelector: { "v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index" },
        MaxConcurrency: 2,
        ToleratedFailureCount: 1,
        ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        ResultPath: "$.out",
        End: true,
      },
      { input: { items: ["a", "b"] }, mock: { result: [10, 20] } },
    );
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      output: { items: ["a", "b"], out: [10, 20] },
      inspection: {
        afterItemsPath: ["a", "b"],
        afterItemSelector: [
          { v: "a", i: 0 },
          { v: "b", i: 1 },
        ],
        maxConcurrency: 2,
        toleratedFailureCount: 1,
      },
    });
  });

  it("Map: failed iterations past the tolerance fail it, and its Catch takes the error", async () => {
    const definition = {
      Type: "Map",
      ToleratedFailureCount: 1,
      ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      Catch: [{ ErrorEquals: ["States.ExceedToleratedFailureThreshold"], Next: "Threshold" }],
      End: true,
    };
    const within = await test(definition, {
      input: [1, 2, 3],
      mock: { result: [1, 1, 1] },
      mapIterationFailureCount: 1,
    });
    expect(within).toMatchObject({ status: "SUCCEEDED", output: [1, 1, 1] });
    const over = await test(definition, {
      input: [1, 2, 3],
      mock: { result: [1, 1, 1] },
      mapIterationFailureCount: 2,
    });
    expect(over).toMatchObject({
      status: "CAUGHT_ERROR",
      error: "States.ExceedToleratedFailureThreshold",
      nextState: "Threshold",
    });
  });

  it("Parallel: the mock is the branches' results, in order", async () => {
    const r = await test(
      {
        Type: "Parallel",
        Branches: [
          { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
          { StartAt: "B", States: { B: { Type: "Pass", End: true } } },
        ],
        Next: "Done",
      },
      { input: { x: 1 }, mock: { result: ["a", "b"] } },
    );
    expect(r).toMatchObject({ status: "SUCCEEDED", nextState: "Done", output: ["a", "b"] });
  });

  it("a state inside a Map, named by stateName, sees $$.Map.Item", async () => {
    const machine = {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Inner",
            States: {
              Inner: {
                Type: "Pass",
                Parameters: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value" },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const r = await test(machine, { input: "item" }, { stateName: "Inner" });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: { i: 0, v: "item" } });
  });

  it("context given with a mock replaces those members of $$", async () => {
    const r = await test(
      {
        Type: "Task",
        Resource: "http:invoke",
        Parameters: { "id.$": "$$.Execution.Id", "name.$": "$$.State.Name" },
        End: true,
      },
      { mock: { result: {} }, context: { Execution: { Id: "arn:given" } } },
    );
    expect(r).toMatchObject({ inspection: { afterParameters: { id: "arn:given", name: "StateName" } } });
  });
});

describe("TestState refuses what AWS refuses", () => {
  it.each([
    [
      { Type: "Pass", End: true },
      { mock: { result: 1 } },
      "State type 'Pass' is not supported when a mock is specified",
    ],
    [
      { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true },
      {},
      "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
    ],
    [
      { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true },
      { mock: { result: {} } },
      "Mocked result must be an array.",
    ],
    [
      {
        Type: "Parallel",
        Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }],
        End: true,
      },
      { mock: { result: [1, 2] } },
      "Mocked result must contain the same number of items as number of Parallel branches.",
    ],
    [
      { Type: "Task", Resource: "http:invoke.waitForTaskToken", End: true },
      {},
      "A Task with .waitForTaskToken can be tested with a mock only.",
    ],
  ])("%j with %j", async (definition, request, message) => {
    expect(await test(definition, request as Partial<TestStateRequest>)).toMatchObject({ message });
  });

  it("names an invalid definition and a missing state", () => {
    const bad = testTarget(JSON.stringify({ Type: "Pass", Next: 3 }), undefined, {});
    expect(bad).toMatchObject({ ok: false, invalid: "definition" });
    const missing = testTarget(JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } }), "B", {});
    expect(missing).toMatchObject({
      ok: false,
      invalid: "request",
      message: "The state 'B' does not exist in the definition.",
    });
  });
});
