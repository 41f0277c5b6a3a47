// POST /v1/machines/{m}/executions/{e}/redrive through the Worker: a failed execution goes on from
// the Task that failed (the one before it is not run again), ExecutionRedriven and the redrive
// count, Idempotency-Key, and the executions AWS would refuse.
import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { type Description, executionObject, history, putMachine, start, types } from "./support";

const orderMachine = (counter: string) => ({
  StartAt: "Count",
  States: {
    // Counts its own runs in an entity: a redrive must not run it again.
    Count: {
      Type: "Task",
      Resource: "edgestate:entity:patch",
      Parameters: { Type: "counter", Id: counter, Body: { touched: true } },
      ResultPath: null,
      Catch: [{ ErrorEquals: ["Edgestate.NotFound"], ResultPath: null, Next: "Read" }],
      Next: "Read",
    },
    Read: {
      Type: "Task",
      Resource: "edgestate:entity:get",
      Parameters: { Type: "order", "Id.$": "$.order" },
      ResultSelector: { "body.$": "$.Body" },
      End: true,
    },
  },
});

const redrive = (machine: string, execution: string, headers: Record<string, string> = {}) =>
  api("POST", `/v1/machines/${machine}/executions/${execution}/redrive`, { headers });

/** Holds until the execution ends (the object's own end notification), its description. */
async function ended(machine: string, execution: string) {
  const d = await executionObject(machine, execution).awaitEnd(10_000);
  if (!d) throw new Error("the execution did not end");
  return d as unknown as Description & Record<string, unknown>;
}

describe("redrive", () => {
  it("goes on from the Task that failed, once the cause is fixed", async () => {
    const machine = unique("redrive");
    const order = unique("o");
    await putMachine(machine, orderMachine(unique("c")));
    const failed = await start(machine, { name: "run", input: { order } }, "?wait=10");
    expect(failed.body).toMatchObject({
      status: "FAILED",
      error: "Edgestate.NotFound",
      redriveStatus: "REDRIVABLE",
    });

    await api("PUT", `/v1/entities/order/${order}`, { body: { total: 9 } });
    const res = await redrive(machine, "run");
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: "RUNNING", redriveCount: 1, error: null });
    const done = await ended(machine, "run");
    expect(done).toMatchObject({ status: "SUCCEEDED", output: { body: { total: 9 } }, redriveCount: 1 });
    expect((done as unknown as { redrivenAt: string }).redrivenAt).toMatch(/^\d{4}-/);

    const events = types(await history(machine, "run"));
    const at = events.indexOf("ExecutionRedriven");
    expect(events.slice(at - 1, at + 2)).toEqual([
      "ExecutionFailed",
      "ExecutionRedriven",
      "TaskStateEntered",
    ]);
    // Count ran once: the redrive entered Read again, not the state before it.
    expect(events.filter((t) => t === "TaskScheduled")).toHaveLength(3);
  });

  it("replays a retried redrive (Idempotency-Key) instead of redriving twice", async () => {
    const machine = unique("redrive");
    await putMachine(machine, { StartAt: "F", States: { F: { Type: "Fail", Error: "Always" } } });
    await start(machine, { name: "run" }, "?wait=10");
    const first = await redrive(machine, "run", { "Idempotency-Key": "redrive-1" });
    const again = await redrive(machine, "run", { "Idempotency-Key": "redrive-1" });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.text()).toBe(await first.text());
    const done = await ended(machine, "run");
    expect(done).toMatchObject({ redriveCount: 1 });
  });

  it("ends a Parallel whose result processing failed after its branches succeeded (fails again here)", async () => {
    const machine = unique("redrive");
    await putMachine(machine, {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Result: { x: 1 }, End: true } } }],
          ResultSelector: { "y.$": "$[0].missing" },
          End: true,
        },
      },
    });
    await start(machine, { name: "run" }, "?wait=10");
    expect((await redrive(machine, "run")).status).toBe(200);
    const done = await ended(machine, "run");
    expect(done).toMatchObject({ status: "FAILED", error: "States.Runtime", redriveCount: 1 });
  });

  it("refuses a SUCCEEDED or RUNNING execution (409, AWS's reason) and an unknown one (404)", async () => {
    const machine = unique("redrive");
    await putMachine(machine, { StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    await start(machine, { name: "ok" }, "?wait=10");
    const res = await redrive(machine, "ok");
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ detail: "Execution is SUCCEEDED and cannot be redriven" });
    const described = await json<Record<string, unknown>>(
      await api("GET", `/v1/machines/${machine}/executions/ok`),
    );
    expect(described).toMatchObject({
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    expect((await redrive(machine, "nope")).status).toBe(404);
  });
});
