// A late alarm (the clock moved past the execution's TimeoutSeconds) still settles the Wait that
// ended in time first: the execution succeeds.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../src/machine/types.ts";
import { unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { describe as describeExecution, executionObject, putMachine, start } from "./support";

const definition: StateMachineDefinition = {
  StartAt: "W",
  TimeoutSeconds: 10,
  States: { W: { Type: "Wait", Seconds: 5, Next: "Done" }, Done: { Type: "Succeed" } },
};

describe("deadlines settle in time order (Durable Object, moved clock)", () => {
  it("Wait 5 s then Succeed, TimeoutSeconds 10; the alarm runs at 11 s → SUCCEEDED, not TIMED_OUT", async () => {
    const machine = unique("hf-order");
    await putMachine(machine, definition);
    await start(machine, { name: "o" });
    const stub = executionObject(machine, "o");
    const clock = new ManualClock(Date.now());
    await useClock(stub, clock);
    clock.advance(11_000);
    await runDurableObjectAlarm(stub);
    const d = await describeExecution(machine, "o");
    expect(d.status).toBe("SUCCEEDED");
  });
});
