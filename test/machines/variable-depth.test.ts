// A variable is state data like any output: nested past the depth the engine allows state data
// (128 levels), it fails the state with States.DataLimitExceeded. A variable 40,000 levels deep
// still fits in Step Functions' 256 KiB per variable; before, it was stored, and StartExecution
// then answered 500 (RangeError: Maximum call stack size exceeded) with no execution created.

import { expect, it } from "vitest";
import { unique } from "../support/api";
import { putMachine, start } from "./support";

const DEEP = "{% $reduce([1..40000], function($acc, $i) { { 'a': $acc } }, 0) %}";

it("a variable nested 40,000 levels deep fails the state instead of the request", async () => {
  const machine = unique("deep-variable");
  await putMachine(machine, {
    QueryLanguage: "JSONata",
    StartAt: "Nest",
    States: {
      Nest: { Type: "Pass", Assign: { v: DEEP }, Next: "Read" },
      Read: { Type: "Pass", Output: "{% $count($keys($v)) %}", End: true },
    },
  });
  const r = await start(machine, { input: {} }, "?wait=20");
  expect(r.status).toBe(200);
  expect(r.body.status).toBe("FAILED");
  expect(r.body.error).toBe("States.DataLimitExceeded");
  expect(r.body.cause).toContain("nested deeper than 128 levels");
}, 60_000);
