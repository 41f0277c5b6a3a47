// States.TaskFailed in ErrorEquals: Step Functions documents it as a wildcard, "when used in a
// retry or catch ... matches any known error name except for States.Timeout". A task's own errors
// (an HTTP status, SendTaskFailure's custom names) are therefore caught and retried by it.
import { describe, expect, it } from "vitest";
import { errorMatches } from "../../../src/machine/error-match.ts";
import type { Catcher, Retrier, StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";
const task = (handling: {
  Catch?: Catcher[];
  Retry?: Retrier[];
  TimeoutSeconds?: number;
}): StateMachineDefinition => ({
  StartAt: "T",
  States: {
    T: { Type: "Task", Resource: HTTP, ...handling, End: true },
    Handled: { Type: "Pass", Result: "handled", End: true },
  },
});
const catchTaskFailed: Catcher[] = [{ ErrorEquals: ["States.TaskFailed"], Next: "Handled" }];

describe("States.TaskFailed in ErrorEquals", () => {
  it("Catch catches a task's States.Http.StatusCode.503", async () => {
    const r = await run(
      task({ Catch: catchTaskFailed }),
      {},
      {
        tasks: () => ({ error: "States.Http.StatusCode.503", cause: "busy" }),
      },
    );
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toBe("handled");
  });

  it("Retry retries a custom error (SendTaskFailure's) until the task succeeds", async () => {
    let calls = 0;
    const r = await run(
      task({ Retry: [{ ErrorEquals: ["States.TaskFailed"], MaxAttempts: 2 }] }),
      {},
      {
        tasks: () => (++calls < 3 ? { error: "Rejected", cause: "" } : { output: "ok" }),
      },
    );
    expect(r.invokes).toHaveLength(3);
    expect(r.snapshot.status).toBe("SUCCEEDED");
  });

  it("does not catch States.Timeout", async () => {
    const r = await run(task({ TimeoutSeconds: 5, Catch: catchTaskFailed }), {}, { tasks: () => "hang" });
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(types(r.events)).toContain("TaskTimedOut");
  });

  it("leaves out the timeouts and the terminal errors, as States.ALL leaves out the terminal ones", () => {
    for (const error of [
      "States.Timeout",
      "States.HeartbeatTimeout",
      "States.Runtime",
      "States.DataLimitExceeded",
    ])
      expect(errorMatches(["States.TaskFailed"], error)).toBe(false);
    for (const error of ["States.TaskFailed", "States.Http.Socket", "Lambda.Unknown", "Rejected"])
      expect(errorMatches(["States.TaskFailed"], error)).toBe(true);
    expect(errorMatches(["States.Timeout"], "States.Timeout")).toBe(true);
  });
});
