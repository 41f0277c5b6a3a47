import { describe, expect, it } from "vitest";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { JsonObject, MapState, StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, T0, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";

const mapOver = (extra: Partial<MapState> = {}): StateMachineDefinition => ({
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Task", Resource: HTTP, End: true } } },
      ...extra,
      End: true,
    } as MapState,
  },
});

const start = async (definition: StateMachineDefinition, input: JsonObject) =>
  await startExecution(definition, {
    input,
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });

describe("Map state", () => {
  it("runs the processor per item and returns results in item order", async () => {
    const r = await run(
      mapOver(),
      { items: [1, 2, 3] },
      { tasks: (call) => ({ output: (call.parameters as number) * 10 }) },
    );
    expect(r.snapshot.output).toEqual([10, 20, 30]);
    expect(r.invokes.map((c) => c.idempotencyKey)).toEqual([
      "exec-1/Each[0]/Work/0",
      "exec-1/Each[1]/Work/0",
      "exec-1/Each[2]/Work/0",
    ]);
    const started = r.events.find((e) => e.type === "MapStateStarted");
    expect(started?.type === "MapStateStarted" && started.mapStateStartedEventDetails).toEqual({ length: 3 });
  });

  it("keeps at most MaxConcurrency iterations running, and orders results by item", async () => {
    const definition = mapOver({ MaxConcurrency: 2 });
    const first = await start(definition, { items: ["a", "b", "c", "d"] });
    expect(first.effects.map((e) => e.parameters)).toEqual(["a", "b"]);
    const env = { now: T0, random: () => 0 };
    const afterB = await step(
      definition,
      first.snapshot,
      { type: "task_succeeded", taskId: "t2", output: "B" },
      env,
    );
    expect(afterB.effects.map((e) => e.parameters)).toEqual(["c"]);
    let snap = afterB.snapshot;
    for (const [taskId, output] of [
      ["t3", "C"],
      ["t1", "A"],
      ["t4", "D"],
    ] as const) {
      snap = (await step(definition, snap, { type: "task_succeeded", taskId, output }, env)).snapshot;
    }
    expect(snap.output).toEqual(["A", "B", "C", "D"]);
  });

  it("builds each iteration's input with ItemSelector and $$.Map.Item", async () => {
    const r = await run(
      mapOver({
        ItemSelector: { "index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag" },
      }),
      { items: ["x", "y"], tag: "t" },
      { tasks: (call) => ({ output: call.parameters }) },
    );
    expect(r.snapshot.output).toEqual([
      { index: 0, value: "x", tag: "t" },
      { index: 1, value: "y", tag: "t" },
    ]);
  });

  it("succeeds at once with [] for an empty array", async () => {
    const r = await run(mapOver(), { items: [] });
    expect(r.snapshot.output).toEqual([]);
    expect(types(r.events)).toEqual([
      "ExecutionStarted",
      "MapStateEntered",
      "MapStateStarted",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails with the iteration's error and aborts the running iterations", async () => {
    const r = await run(
      mapOver(),
      { items: [1, 2, 3] },
      {
        tasks: (call) => (call.parameters === 1 ? { error: "Bad", cause: "one" } : "hang"),
      },
    );
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "Bad", cause: "one" });
    expect(types(r.events).slice(-5)).toEqual([
      "MapIterationFailed",
      "MapIterationAborted",
      "MapIterationAborted",
      "MapStateFailed",
      "ExecutionFailed",
    ]);
  });

  it("tolerates failures up to ToleratedFailureCount", async () => {
    const r = await run(
      mapOver({ ToleratedFailureCount: 1 }),
      { items: [1, 2, 3] },
      {
        tasks: (call) =>
          call.parameters === 2 ? { error: "Bad", cause: "two" } : { output: call.parameters },
      },
    );
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toEqual([1, { Error: "Bad", Cause: "two" }, 3]);
  });

  it("fails with States.ExceedToleratedFailureThreshold past ToleratedFailurePercentage", async () => {
    const r = await run(
      mapOver({ ToleratedFailurePercentage: 50 }),
      { items: [1, 2, 3, 4] },
      {
        tasks: (call) => ((call.parameters as number) > 1 ? { error: "Bad" } : { output: 1 }),
      },
    );
    expect(r.snapshot.error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it("fails with States.Runtime when ItemsPath is not an array", async () => {
    const r = await run(mapOver(), { items: "nope" });
    expect(r.snapshot.error).toBe("States.Runtime");
  });

  it("accepts the older Iterator and Parameters fields", async () => {
    const r = await run(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            Parameters: { "n.$": "$$.Map.Item.Value" },
            Iterator: { StartAt: "Id", States: { Id: { Type: "Pass", End: true } } },
            End: true,
          },
        },
      },
      [5, 6],
    );
    expect(r.snapshot.output).toEqual([{ n: 5 }, { n: 6 }]);
  });
});
