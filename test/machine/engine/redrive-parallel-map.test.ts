// Redrive of a Parallel or Map that failed in its own processing rather than in a branch or an
// iteration: an iteration's input (ItemSelector), or the state's result processing.
import { describe, expect, it } from "vitest";
import { redrive, startExecution } from "../../../src/machine/step.ts";
import type { JsonValue, StateMachineDefinition } from "../../../src/machine/types.ts";
import { T0 } from "./support/driver.ts";

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
