// Redrive of a Parallel or Map that failed in its own processing rather than in a branch or an
// iteration: an iteration's input (ItemSelector), or the state's result processing.
import { describe, expect, it } from "vitest";
import { redrive, startExecution } from "../../../src/machine/step.ts";
import type { JsonValue, StateMachineDefinition } from "../../../src/machine/types.ts";
import { T0, types } from "./support/driver.ts";

/** A JSONata Output that fails on the first run and passes the result on a redrive. */
const failingFirstRun =
  "{% $states.context.Execution.RedriveCount = 0 ? $error('result processing failed') : $states.result %}";

async function failThenRedrive(definition: StateMachineDefinition, input: JsonValue = {}) {
  const started = await startExecution(definition, {
    input,
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });
  expect(started.snapshot.status).toBe("FAILED");
  const again = await redrive(definition, started.snapshot, { now: T0 + 60_000, random: () => 0.5 });
  if (!("snapshot" in again)) throw new Error(again.reason);
  return again;
}

describe("redrive of a Map whose ItemSelector failed", () => {
  it("runs the item whose input failed", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          // item 1's input fails on the first run only (its cause was fixed before the redrive)
          ItemSelector: {
            v: "{% ($states.context.Execution.RedriveCount = 0 and $states.context.Map.Item.Index = 1) ? $error('bad item') : $states.context.Map.Item.Value %}",
          },
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    };
    const r = await failThenRedrive(definition, [10, 20, 30]);
    expect(r.snapshot).toMatchObject({ status: "SUCCEEDED", output: [{ v: 10 }, { v: 20 }, { v: 30 }] });
  });
});

describe("redrive of a Map whose ItemSelector failed after the iterations before it succeeded", () => {
  it("starts the items not started yet, though no iteration was halted", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemSelector: {
            v: "{% ($states.context.Execution.RedriveCount = 0 and $states.context.Map.Item.Index = 1) ? $error('bad item') : $states.context.Map.Item.Value %}",
          },
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    };
    const r = await failThenRedrive(definition, [10, 20, 30]);
    expect(r.snapshot).toMatchObject({ status: "SUCCEEDED", output: [{ v: 10 }, { v: 20 }, { v: 30 }] });
    expect(r.events.filter((e) => e.type === "MapIterationStarted")).toHaveLength(2);
  });
});

describe("redrive of a Parallel or Map whose children all succeeded but whose result processing failed", () => {
  it("Parallel: runs the result processing again over the kept results, not the branches", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Output: 1, End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Output: 2, End: true } } },
          ],
          Output: failingFirstRun,
          End: true,
        },
      },
    };
    const r = await failThenRedrive(definition);
    expect(r.snapshot).toMatchObject({ status: "SUCCEEDED", output: [1, 2] });
    expect(types(r.events)).toEqual(["ExecutionRedriven", "ParallelStateExited", "ExecutionSucceeded"]);
  });

  it("Map: runs the result processing again over the kept results, not the iterations", async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: "JSONata",
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          Items: [1, 2],
          ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
          Output: failingFirstRun,
          End: true,
        },
      },
    };
    const r = await failThenRedrive(definition);
    expect(r.snapshot).toMatchObject({ status: "SUCCEEDED", output: [1, 2] });
    expect(types(r.events)).toEqual(["ExecutionRedriven", "MapStateExited", "ExecutionSucceeded"]);
  });

  it("fails again when the result processing fails again (JSONPath ResultSelector), not RUNNING forever", async () => {
    const definition: StateMachineDefinition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Result: { x: 1 }, End: true } } }],
          ResultSelector: { "y.$": "$[0].missing" },
          End: true,
        },
      },
    };
    const r = await failThenRedrive(definition);
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(r.snapshot.halted).toBeDefined();
  });
});
