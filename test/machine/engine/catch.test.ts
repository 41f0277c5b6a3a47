import { describe, expect, it } from "vitest";
import { stateOutcomes } from "../../../src/machine/snapshot.ts";
import type { Catcher, Retrier, StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, types } from "./support/driver.ts";

const HTTP = "arn:aws:states:::http:invoke";

const caught = (catchers: Catcher[], retry?: Retrier[]): StateMachineDefinition => ({
  StartAt: "Call",
  States: {
    Call: { Type: "Task", Resource: HTTP, Catch: catchers, ...(retry ? { Retry: retry } : {}), End: true },
    Recover: { Type: "Pass", End: true },
    Other: { Type: "Pass", Result: "other", End: true },
  },
});

describe("Catch", () => {
  it("replaces the input with {Error, Cause} by default and goes to Next", async () => {
    const r = await run(
      caught([{ ErrorEquals: ["States.ALL"], Next: "Recover" }]),
      { a: 1 },
      {
        tasks: () => ({ error: "Boom", cause: "why" }),
      },
    );
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toEqual({ Error: "Boom", Cause: "why" });
    expect(types(r.events).slice(4)).toEqual([
      "TaskFailed",
      "TaskStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(stateOutcomes(r.snapshot)).toEqual({ Call: "caught", Recover: "succeeded" });
  });

  it("puts the error at the catcher's ResultPath inside the raw input", async () => {
    const r = await run(
      caught([{ ErrorEquals: ["Boom"], ResultPath: "$.error", Next: "Recover" }]),
      { a: 1 },
      {
        tasks: () => ({ error: "Boom", cause: "why" }),
      },
    );
    expect(r.snapshot.output).toEqual({ a: 1, error: { Error: "Boom", Cause: "why" } });
  });

  it("takes the first catcher that matches", async () => {
    const r = await run(
      caught([
        { ErrorEquals: ["Nope"], Next: "Recover" },
        { ErrorEquals: ["Boom"], Next: "Other" },
        { ErrorEquals: ["States.ALL"], Next: "Recover" },
      ]),
      {},
      { tasks: () => ({ error: "Boom" }) },
    );
    expect(r.snapshot.output).toBe("other");
  });

  it("catches only after the retries are used up", async () => {
    const r = await run(
      caught(
        [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
        [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }],
      ),
      {},
      { tasks: () => ({ error: "Boom" }) },
    );
    expect(r.invokes).toHaveLength(3);
    expect(r.snapshot.status).toBe("SUCCEEDED");
  });

  it("lets an unmatched error fail the execution", async () => {
    const r = await run(
      caught([{ ErrorEquals: ["Other"], Next: "Recover" }]),
      {},
      { tasks: () => ({ error: "Boom" }) },
    );
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "Boom" });
    expect(stateOutcomes(r.snapshot)).toEqual({ Call: "failed" });
  });
});
