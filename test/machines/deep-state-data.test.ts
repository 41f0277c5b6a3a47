// State data that a JSONata expression builds and the engine keeps in the snapshot before a state
// ends is held to the data limits when it is built: nested 40,000 levels deep (within 256 KiB),
// it overflowed the shell's stack where the snapshot is handled, so the request or the alarm
// failed instead of the state, and an execution could stay RUNNING for ever.

import { expect, describe as group, it } from "vitest";
import { unique } from "../support/api";
import { describe, executionObject, fireTimer, putMachine, start } from "./support";

const NESTED = "$reduce([1..40000], function($acc, $i) { { 'a': $acc } }, 0)";

group("deeply nested state data from JSONata", () => {
  it("a Wait's Output (computed on entry, kept until the wait ends) fails the state, not the alarm", async () => {
    const machine = unique("deep-wait");
    await putMachine(machine, {
      QueryLanguage: "JSONata",
      StartAt: "First",
      States: {
        First: { Type: "Wait", Seconds: 5, Next: "Hold" },
        Hold: { Type: "Wait", Seconds: 5, Output: `{% ${NESTED} %}`, End: true },
      },
    });
    const started = await start(machine, { input: {} });
    expect(started.status).toBe(201);
    await fireTimer(executionObject(machine, started.body.name));
    const d = await describe(machine, started.body.name);
    expect(d.status).toBe("FAILED");
    expect(d.error).toBe("States.DataLimitExceeded");
    expect(d.cause).toBe("The state 'Hold' output is nested deeper than 128 levels.");
  }, 60_000);

  it("a Map's Items fail the state, not StartExecution", async () => {
    const machine = unique("deep-items");
    await putMachine(machine, {
      QueryLanguage: "JSONata",
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          Items: `{% [${NESTED}] %}`,
          ItemProcessor: { StartAt: "One", States: { One: { Type: "Pass", Output: 1, End: true } } },
          End: true,
        },
      },
    });
    const r = await start(machine, { input: {} }, "?wait=20");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("FAILED");
    expect(r.body.error).toBe("States.DataLimitExceeded");
    expect(r.body.cause).toBe("The state 'Each' Items is nested deeper than 128 levels.");
  }, 60_000);
});
