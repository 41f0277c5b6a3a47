import { describe, expect, it } from "vitest";
import { executionObject, fireTimer, history, putMachine, start } from "../machines/support";
import { api, unique } from "../support/api";
import { dataOf, readSse } from "./sse";
import { sseResponse, type Watcher, watch, watchResponse } from "./support";

const WAITING = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Result: { step: 1 }, Next: "Wait" },
    Wait: { Type: "Wait", Seconds: 30, Next: "Done" },
    Done: { Type: "Pass", End: true },
  },
};

async function running() {
  const machine = unique("m");
  await putMachine(machine, WAITING);
  const name = unique("x");
  expect((await start(machine, { name, input: { a: 1 } })).status).toBe(201);
  return { machine, name, path: `/v1/machines/${machine}/executions/${name}` };
}

async function untilClosed(w: Watcher) {
  const closed = await w.closed;
  return { closed, messages: w.messages };
}

describe("watching an execution", () => {
  it("sees the same events as /history, as they commit, then the final status, and the watch ends", async () => {
    const x = await running();
    const w = await watch(`${x.path}/watch`);
    const first = await w.next();
    expect(first).toMatchObject({ type: "status", execution: { name: x.name, status: "RUNNING" } });
    await fireTimer(executionObject(x.machine, x.name));
    const { closed, messages } = await untilClosed(w);
    expect(closed).toEqual({ code: 1000, reason: "the execution has ended" });
    const events = messages.filter((m) => m.type === "event").map((m) => m.event);
    expect(events).toEqual(await history(x.machine, x.name));
    expect(messages.at(-1)).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
    expect(messages.filter((m) => m.type === "status")).toHaveLength(2);
  });

  it("resumes after an event id, and the watch of an ended execution closes after its events", async () => {
    const x = await running();
    await fireTimer(executionObject(x.machine, x.name));
    const all = await history(x.machine, x.name);
    const w = await watch(`${x.path}/watch?since=${all[2]!.id}`);
    const { closed, messages } = await untilClosed(w);
    expect(closed.code).toBe(1000);
    expect(messages[0]).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
    expect(messages.slice(1, -1).map((m) => m.event)).toEqual(all.slice(3));
    expect(messages.at(-1)).toEqual(messages[0]);
  });

  it("tells an EventSource that reconnects after the end to stop (204)", async () => {
    const x = await running();
    await fireTimer(executionObject(x.machine, x.name));
    const all = await history(x.machine, x.name);
    const sse = (headers: Record<string, string>) => sseResponse(`${x.path}/watch`, { headers });
    const fresh = readSse((await sse({})).body!);
    await fresh.ended;
    const data = dataOf(fresh.events.filter((e) => e.event === "message"));
    expect(data.filter((m) => m.type === "event")).toHaveLength(all.length);
    expect(fresh.events.at(-1)).toEqual({
      event: "close",
      data: '{"code":1000,"reason":"the execution has ended"}',
    });
    expect(fresh.events.filter((e) => e.id !== undefined).at(-1)?.id).toBe(String(all.at(-1)!.id));
    const again = await sse({ "Last-Event-ID": String(all.at(-1)!.id) });
    expect(again.status).toBe(204);
  });

  it("watches a redriven execution again, from its ExecutionRedriven to its new end", async () => {
    const machine = unique("m");
    await putMachine(machine, {
      StartAt: "Read",
      States: {
        Read: {
          Type: "Task",
          Resource: "edgestate:entity:get",
          Parameters: { Type: "order", Id: "o-1" },
          End: true,
        },
      },
    });
    const failed = await start(machine, { name: "run" }, "?wait=10");
    expect(failed.body.status).toBe("FAILED");
    const before = await history(machine, "run");
    await api("PUT", "/v1/entities/order/o-1", { body: { total: 9 } });
    const w = await watch(`/v1/machines/${machine}/executions/run/watch?since=${before.at(-1)!.id}`);
    expect(await w.next()).toMatchObject({ type: "status", execution: { status: "FAILED" } });
    // The first watch of the failed execution is over already; a new one follows the redrive.
    expect((await w.closed).code).toBe(1000);
    expect((await api("POST", `/v1/machines/${machine}/executions/run/redrive`)).status).toBe(200);
    const again = await watch(`/v1/machines/${machine}/executions/run/watch?since=${before.at(-1)!.id}`);
    const { closed, messages } = await untilClosed(again);
    expect(closed.code).toBe(1000);
    const events = messages.filter((m) => m.type === "event").map((m) => (m.event as { type: string }).type);
    expect(events[0]).toBe("ExecutionRedriven");
    expect(messages.at(-1)).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
  });

  it("is a 404 for an execution that does not exist", async () => {
    const res = await watchResponse(`/v1/machines/${unique("m")}/executions/${unique("x")}/watch`);
    expect(res.status).toBe(404);
  });
});
