import { describe, expect, it } from "vitest";
import { currentStates, nextWakeAt } from "../../../src/machine/snapshot.ts";
import { startExecution, step } from "../../../src/machine/step.ts";
import type { JsonObject, StateMachineDefinition } from "../../../src/machine/types.ts";
import { at, run, T0, types } from "./support/driver.ts";

const start = async (definition: StateMachineDefinition, input: JsonObject = {}) =>
  await startExecution(definition, {
    input,
    executionName: "e",
    machineName: "m",
    machineVersion: 1,
    startedAt: T0,
  });

const waitThen = (wait: object): StateMachineDefinition => ({
  StartAt: "W",
  States: { W: { Type: "Wait", ...wait, Next: "Done" }, Done: { Type: "Succeed" } },
});

describe("Wait state", () => {
  it("keeps its deadline in the snapshot and exposes it as nextWakeAt", async () => {
    const started = await start(waitThen({ Seconds: 30 }));
    expect(started.effects).toEqual([]);
    expect(nextWakeAt(started.snapshot)).toBe(at(30));
    expect(currentStates(started.snapshot)).toEqual(["W"]);
  });

  it("ignores an early alarm and continues at the deadline", async () => {
    const definition = waitThen({ Seconds: 30 });
    const started = await start(definition);
    const early = await step(
      definition,
      started.snapshot,
      { type: "timer_fired" },
      { now: at(10), random: () => 0 },
    );
    expect(early.events).toEqual([]);
    expect(nextWakeAt(early.snapshot)).toBe(at(30));
    const due = await step(
      definition,
      early.snapshot,
      { type: "timer_fired" },
      { now: at(30), random: () => 0 },
    );
    expect(due.snapshot.status).toBe("SUCCEEDED");
    expect(types(due.events)).toEqual([
      "WaitStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("reads SecondsPath from the input", async () => {
    const r = await run(waitThen({ SecondsPath: "$.delay" }), { delay: 5 });
    expect(r.wakes).toEqual([at(5)]);
    expect(r.snapshot.status).toBe("SUCCEEDED");
  });

  it("waits until an absolute Timestamp", async () => {
    const r = await run(waitThen({ Timestamp: "2026-01-01T13:00:00Z" }));
    expect(r.wakes).toEqual([at(3600)]);
  });

  it("reads TimestampPath from the input", async () => {
    const r = await run(waitThen({ TimestampPath: "$.when" }), { when: "2026-01-01T12:01:00+00:00" });
    expect(r.wakes).toEqual([at(60)]);
  });

  it("passes at once when the timestamp is in the past", async () => {
    const r = await run(waitThen({ Timestamp: "2020-01-01T00:00:00Z" }));
    expect(r.wakes).toEqual([]);
    expect(r.snapshot.status).toBe("SUCCEEDED");
  });

  it("fails with States.Runtime when SecondsPath is not a non-negative integer", async () => {
    const r = await run(waitThen({ SecondsPath: "$.delay" }), { delay: "soon" });
    expect(r.snapshot.error).toBe("States.Runtime");
  });

  it("passes its input on unchanged", async () => {
    const r = await run(waitThen({ Seconds: 1 }), { keep: 1 });
    expect(r.snapshot.output).toEqual({ keep: 1 });
  });
});
