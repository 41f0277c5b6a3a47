import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, expect, describe as group, it, vi } from "vitest";
import { unique } from "../support/api";
import {
  describe,
  executionObject,
  fireTimer,
  history,
  mockFetch,
  oneTask,
  putMachine,
  start,
  types,
} from "./support";

/** An execution's uid (a UUID), the first part of its tasks' Idempotency-Keys. */
const UID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

afterEach(() => {
  vi.restoreAllMocks();
});

const HTTP = "arn:aws:states:::http:invoke";

group("http:invoke", () => {
  it("calls the endpoint with query, headers, JSON body and an Idempotency-Key; returns Step Functions' result shape", async () => {
    const calls = mockFetch(() =>
      Response.json({ ok: true }, { status: 201, statusText: "Created", headers: { "X-Reply": "1" } }),
    );
    const machine = unique("http");
    await putMachine(
      machine,
      oneTask(
        HTTP,
        {},
        {
          ApiEndpoint: "https://api.example.com/orders",
          Method: "POST",
          Headers: { "X-Tenant": "t1" },
          QueryParameters: { page: "2", tag: ["a", "b"] },
          "RequestBody.$": "$",
        },
      ),
    );
    const run = await start(machine, { name: "h1", input: { item: "book" } }, "?wait=10");
    expect(run.body).toMatchObject({
      status: "SUCCEEDED",
      output: {
        StatusCode: 201,
        StatusText: "Created",
        Headers: expect.objectContaining({ "x-reply": "1" }),
        ResponseBody: { ok: true },
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://api.example.com/orders?page=2&tag=a&tag=b");
    expect(calls[0]!.method).toBe("POST");
    expect(calls[0]!.headers.get("X-Tenant")).toBe("t1");
    expect(calls[0]!.headers.get("Content-Type")).toBe("application/json");
    // `<execution uid>:<execution>/<state>/<attempt>`: the uid is the execution's own (issue 11 #3).
    expect(calls[0]!.headers.get("Idempotency-Key")).toMatch(new RegExp(`^${UID}:h1/Call/0$`));
    expect(JSON.parse(calls[0]!.body!)).toEqual({ item: "book" });
    expect(types(await history(machine, "h1"))).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
  });

  it("fails a non-2xx reply with States.Http.StatusCode.<code> and a network failure with States.Http.Socket", async () => {
    mockFetch((call) => {
      if (call.url.includes("down")) throw new TypeError("Network connection lost.");
      return new Response("nope", { status: 404, statusText: "Not Found" });
    });
    const machine = unique("http-err");
    await putMachine(machine, oneTask("http:invoke", {}, { "ApiEndpoint.$": "$.url", Method: "GET" }));
    const missing = await start(machine, { input: { url: "https://api.example.com/missing" } }, "?wait=10");
    expect(missing.body).toMatchObject({ status: "FAILED", error: "States.Http.StatusCode.404" });
    expect(JSON.parse(missing.body.cause!)).toMatchObject({ StatusCode: 404, ResponseBody: "nope" });
    const down = await start(machine, { input: { url: "https://down.example.com/" } }, "?wait=10");
    expect(down.body).toMatchObject({ status: "FAILED", error: "States.Http.Socket" });
  });

  it("retries with IntervalSeconds × BackoffRate by alarms, each attempt with its own key, then Catch", async () => {
    const calls = mockFetch(() => new Response("busy", { status: 503 }));
    const machine = unique("retry");
    await putMachine(machine, {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: HTTP,
          Parameters: { ApiEndpoint: "https://api.example.com/x", Method: "GET" },
          Retry: [
            {
              ErrorEquals: ["States.Http.StatusCode.503"],
              IntervalSeconds: 2,
              BackoffRate: 3,
              MaxAttempts: 2,
            },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", End: true },
      },
    });
    await start(machine, { name: "r" });
    await expect.poll(() => calls.length).toBe(1);
    const stub = executionObject(machine, "r");
    const first = await fireTimer(stub);
    expect(calls).toHaveLength(2);
    // Eviction between retries: the next retry still comes from the alarm.
    await evictDurableObject(stub);
    const second = await fireTimer(stub);
    expect(second - first).toBe(6_000);
    const keys = calls.map((c) => c.headers.get("Idempotency-Key")!);
    expect(keys.map((k) => k.split(":")[1])).toEqual(["r/Call/0", "r/Call/1", "r/Call/2"]);
    expect(new Set(keys.map((k) => k.split(":")[0])).size).toBe(1);
    const done = await describe(machine, "r");
    expect(done).toMatchObject({
      status: "SUCCEEDED",
      output: { failure: { Error: "States.Http.StatusCode.503" } },
    });
    const events = await history(machine, "r");
    const failed = events.filter((e) => e.type === "TaskFailed").map((e) => Date.parse(e.timestamp));
    const scheduled = events.filter((e) => e.type === "TaskScheduled").map((e) => Date.parse(e.timestamp));
    expect(scheduled[1]! - failed[0]!).toBe(2_000);
    expect(scheduled[2]! - failed[1]!).toBe(6_000);
  });

  it("makes a call in flight when the object died again, with the same Idempotency-Key", async () => {
    // The first call never answers: the object dies while it is in flight.
    const calls = mockFetch((_call, n) => (n === 1 ? new Promise<Response>(() => {}) : Response.json({ n })));
    const machine = unique("inflight");
    await putMachine(
      machine,
      oneTask(HTTP, {}, { ApiEndpoint: "https://api.example.com/pay", Method: "POST" }),
    );
    await start(machine, { name: "p" });
    await expect.poll(() => calls.length).toBe(1);
    // The object dies mid-call (eviction would wait for the call; an abort does not). Aborting
    // this one object, rather than every object, is what the test means; its stub dies with it.
    await runInDurableObject(executionObject(machine, "p"), (_, state) => state.abort("dies mid-call")).catch(
      (e: Error) => expect(e.message).toBe("dies mid-call"),
    );
    // The re-drive guard alarm (armed before the call) makes the call again.
    await fireTimer(executionObject(machine, "p"));
    const keys = calls.map((c) => c.headers.get("Idempotency-Key"));
    expect(keys[0]).toMatch(new RegExp(`^${UID}:p/Call/0$`));
    expect(keys[1]).toBe(keys[0]);
    expect(await describe(machine, "p")).toMatchObject({
      status: "SUCCEEDED",
      output: { ResponseBody: { n: 2 } },
    });
  });

  it("fails the state with States.DataLimitExceeded when a Catch's ResultPath output passes 256 KiB", async () => {
    mockFetch(() => new Response("z".repeat(40_000), { status: 500 }));
    const machine = unique("http");
    await putMachine(machine, {
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: HTTP,
          Parameters: { ApiEndpoint: "https://api.example.com/x", Method: "GET" },
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "After" }],
          End: true,
        },
        After: { Type: "Pass", Result: "small", End: true },
      },
    });
    const run = await start(machine, { name: "c", input: { pad: "p".repeat(240_000) } }, "?wait=15");
    expect(run.body).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
    expect(types(await history(machine, "c"))).not.toContain("PassStateEntered");
  });

  it("fails a resource it cannot run with States.TaskFailed naming it", async () => {
    const machine = unique("lambda");
    const resource = "arn:aws:lambda:us-east-1:123456789012:function:hello";
    await putMachine(machine, oneTask(resource));
    const run = await start(machine, {}, "?wait=10");
    expect(run.body).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(run.body.cause).toContain(resource);
  });

  // Issue 11 #3: a receiver that dedupes by Idempotency-Key must never drop another execution's call.
  it("gives executions of the same name in two tenants, or two machines, different keys", async () => {
    const calls = mockFetch(() => Response.json({ ok: true }));
    const definition = oneTask(HTTP, {}, { ApiEndpoint: "https://api.example.com/charge", Method: "POST" });
    const [a, b] = [unique("key-a"), unique("key-b")];
    await putMachine(a, definition);
    await putMachine(b, definition);
    await putMachine(a, definition, "key-tenant-2");
    await start(a, { name: "order-42" });
    await start(b, { name: "order-42" });
    await start(a, { name: "order-42" }, "", "key-tenant-2");
    await expect.poll(() => calls.length).toBe(3);
    const keys = calls.map((c) => c.headers.get("Idempotency-Key")!);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${UID}:order-42/Call/0$`));
  });
});
