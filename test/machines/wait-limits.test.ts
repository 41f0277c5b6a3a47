import { runDurableObjectAlarm } from "cloudflare:test";
import { expect, describe as group, it } from "vitest";
import { unique } from "../support/api";
import { describe, executionObject, history, nextAlarm, putMachine, start, types } from "./support";

/** Runs the alarms due now (index and KV writes); returns the next one left, if any. */
async function pendingTimer(machine: string, execution: string): Promise<number | null> {
  const stub = executionObject(machine, execution);
  for (let i = 0; i < 10; i++) {
    const at = await nextAlarm(stub);
    if (at === null || at - Date.now() > 500) return at;
    await runDurableObjectAlarm(stub);
  }
  throw new Error("alarms kept coming");
}

// Durable Object alarms hold int64 nanoseconds: nothing after 2262-04-11T23:47:16.854Z can be
// scheduled. Such a wait used to be skipped (the alarm overflowed and fired at once) and the
// execution clock jumped to the overflowed date; now the Wait state fails, and says why.
const LIMIT = "2262-04-11T23:47:16.854Z";

const waitThenPass = (wait: Record<string, unknown>) => ({
  StartAt: "W",
  States: {
    W: { Type: "Wait", ...wait, Next: "P" },
    P: { Type: "Pass", Result: "after", End: true },
  },
});

group("waits the platform cannot schedule", () => {
  for (const [label, wait, input] of [
    ["a Timestamp", { Timestamp: "2300-01-01T00:00:00Z" }, {}],
    ["a TimestampPath", { TimestampPath: "$.at" }, { at: "9999-12-31T23:59:59Z" }],
    ["a SecondsPath", { SecondsPath: "$.s" }, { s: 10_000_000_000_000 }],
  ] as const) {
    it(`fails a Wait whose end (${label}) is after ${LIMIT} instead of skipping it`, async () => {
      const machine = unique("far-wait");
      await putMachine(machine, waitThenPass(wait));
      await start(machine, { name: "far", input });
      const run = await describe(machine, "far");
      expect(run).toMatchObject({ status: "FAILED", error: "States.Runtime" });
      expect(run.cause).toContain(LIMIT);
      expect(types(await history(machine, "far"))).toEqual([
        "ExecutionStarted",
        "WaitStateEntered",
        "ExecutionFailed",
      ]);
      expect(await pendingTimer(machine, "far")).toBeNull();
    });
  }

  it("keeps a far but schedulable wait, with its alarm at the Timestamp", async () => {
    const machine = unique("far-ok");
    await putMachine(machine, waitThenPass({ Timestamp: "2262-01-01T00:00:00Z" }));
    await start(machine, { name: "ok" });
    expect(await describe(machine, "ok")).toMatchObject({ status: "RUNNING", currentStates: ["W"] });
    expect(await pendingTimer(machine, "ok")).toBe(Date.parse("2262-01-01T00:00:00Z"));
  });
});
