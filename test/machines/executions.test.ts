import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { expect, describe as group, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import {
  describe,
  executionObject,
  fireTimer,
  HELLO_WORLD,
  history,
  MAP_EXAMPLE,
  nextAlarm,
  putMachine,
  start,
  types,
} from "./support";

group("executions of AWS examples", () => {
  it("runs Hello World (Pass, Choice, Wait, Parallel) to SUCCEEDED with ?wait and a Step Functions history", async () => {
    const machine = unique("hello");
    await putMachine(machine, HELLO_WORLD);
    const run = await start(machine, { input: { IsHelloWorldExample: true }, name: "first" }, "?wait=10");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      name: "first",
      machine,
      machineVersion: 1,
      status: "SUCCEEDED",
      output: [{ IsHelloWorldExample: true }, { IsHelloWorldExample: true }],
      currentStates: [],
    });
    const events = await history(machine, "first");
    expect(types(events)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "PassStateEntered",
      "PassStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[0]).toMatchObject({
      id: 1,
      previousEventId: 0,
      details: { input: '{"IsHelloWorldExample":true}' },
    });
    const waited = Date.parse(events[8]!.timestamp) - Date.parse(events[7]!.timestamp);
    expect(waited).toBeGreaterThanOrEqual(3000);
  });

  it("fails through the Choice's Fail state", async () => {
    const machine = unique("hello");
    await putMachine(machine, HELLO_WORLD);
    const run = await start(machine, { input: { IsHelloWorldExample: false } }, "?wait=5");
    expect(run.body).toMatchObject({ status: "FAILED", cause: "Not Hello World" });
  });

  it("runs a Map example with ItemSelector and the context object", async () => {
    const machine = unique("map");
    await putMachine(machine, MAP_EXAMPLE);
    const input = { detail: { shipped: [{ prod: "R31" }, { prod: "S39" }] } };
    const run = await start(machine, { input }, "?wait=5");
    expect(run.status).toBe(200);
    expect(run.body.output).toEqual({
      detail: {
        shipped: [
          { id: "R31", at: 0 },
          { id: "S39", at: 1 },
        ],
      },
    });
    expect(types(await history(machine, run.body.name))).toContain("MapIterationStarted");
  });
});

group("starting", () => {
  it("answers 201 RUNNING at once, with a UUID name by default", async () => {
    const machine = unique("wait");
    await putMachine(machine, { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const run = await start(machine);
    expect(run.status).toBe(201);
    expect(run.body.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.body).toMatchObject({ status: "RUNNING", machineVersion: 1 });
    expect(await describe(machine, run.body.name)).toMatchObject({
      status: "RUNNING",
      currentStates: ["W"],
      input: {},
    });
  });

  it("is idempotent by name: same input → 200 existing, other input → 409", async () => {
    const machine = unique("idem");
    await putMachine(machine, { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    expect((await start(machine, { name: "once", input: { a: 1 } })).status).toBe(201);
    const again = await start(machine, { name: "once", input: { a: 1 } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ name: "once", status: "RUNNING" });
    const other = await api("POST", `/v1/machines/${machine}/executions`, {
      body: { name: "once", input: { a: 2 } },
    });
    expect(other.status).toBe(409);
    expect(other.headers.get("Content-Type")).toContain("application/problem+json");
  });

  it("answers 202 when ?wait runs out", async () => {
    const machine = unique("slow");
    await putMachine(machine, { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const run = await start(machine, {}, "?wait=1");
    expect(run.status).toBe(202);
    expect(run.body.status).toBe("RUNNING");
  });

  it("runs the version it started with", async () => {
    const machine = unique("ver");
    await putMachine(machine, {
      StartAt: "P",
      States: { P: { Type: "Pass", Result: "v1", Next: "W" }, W: { Type: "Wait", Seconds: 60, End: true } },
    });
    const first = await start(machine, { name: "old" });
    await putMachine(machine, { StartAt: "P", States: { P: { Type: "Pass", Result: "v2", End: true } } });
    // The PUT invalidated this isolate's latest-version pointer.
    const second = await start(machine, { name: "new" }, "?wait=5");
    expect(second.body).toMatchObject({ machineVersion: 2, output: "v2" });
    await fireTimer(executionObject(machine, first.body.name));
    expect(await describe(machine, "old")).toMatchObject({
      machineVersion: 1,
      status: "SUCCEEDED",
      output: "v1",
    });
  });

  it("refuses bad input with problem+json 400s and unknown machines with 404", async () => {
    const machine = unique("bad");
    await putMachine(machine, HELLO_WORLD);
    for (const body of [{ name: "has space" }, { name: "x".repeat(81) }, { extra: 1 }]) {
      const res = await api("POST", `/v1/machines/${machine}/executions`, { body });
      expect(res.status).toBe(400);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
    expect((await api("POST", `/v1/machines/${machine}/executions?wait=61`, { body: {} })).status).toBe(400);
    expect((await api("POST", `/v1/machines/${machine}/executions`, { raw: "{" })).status).toBe(400);
    expect((await api("POST", `/v1/machines/${unique()}/executions`, { body: {} })).status).toBe(404);
    expect((await api("GET", `/v1/machines/${machine}/executions/nope`)).status).toBe(404);
    expect((await api("GET", `/v1/machines/${machine}/executions/nope/history`)).status).toBe(404);
  });
});

group("listing", () => {
  it("lists newest first, filters by status and pages with a cursor", async () => {
    const machine = unique("list");
    await putMachine(machine, {
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$.wait", BooleanEquals: true, Next: "W" }],
          Default: "Done",
        },
        W: { Type: "Wait", Seconds: 3600, End: true },
        Done: { Type: "Succeed" },
      },
    });
    await start(machine, { name: "a", input: { wait: false } });
    await start(machine, { name: "b", input: { wait: true } });
    await start(machine, { name: "c", input: { wait: false } });
    const list = async (query: string) =>
      json<{ items: { name: string; status: string }[]; cursor: string | null }>(
        await api("GET", `/v1/machines/${machine}/executions${query}`),
      );
    await expect
      .poll(async () => (await list("")).items.map((i) => `${i.name}:${i.status}`))
      .toEqual(["c:SUCCEEDED", "b:RUNNING", "a:SUCCEEDED"]);
    expect((await list("?status=RUNNING")).items.map((i) => i.name)).toEqual(["b"]);
    const page1 = await list("?limit=2");
    expect(page1.items.map((i) => i.name)).toEqual(["c", "b"]);
    expect(page1.cursor).not.toBeNull();
    const page2 = await list(`?limit=2&cursor=${encodeURIComponent(page1.cursor!)}`);
    expect(page2.items.map((i) => i.name)).toEqual(["a"]);
    expect((await api("GET", `/v1/machines/${machine}/executions?status=DONE`)).status).toBe(400);
  });
});

group("history paging", () => {
  it("pages events with limit and cursor", async () => {
    const machine = unique("page");
    await putMachine(machine, HELLO_WORLD);
    const run = await start(machine, { input: { IsHelloWorldExample: true } }, "?wait=10");
    const first = await json<{ events: { id: number }[]; cursor: string }>(
      await api("GET", `/v1/machines/${machine}/executions/${run.body.name}/history?limit=5`),
    );
    expect(first.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    const second = await json<{ events: { id: number }[] }>(
      await api(
        "GET",
        `/v1/machines/${machine}/executions/${run.body.name}/history?limit=5&cursor=${first.cursor}`,
      ),
    );
    expect(second.events.map((e) => e.id)).toEqual([6, 7, 8, 9, 10]);
  });

  it("keeps every event of a batch too large for one statement, in order", async () => {
    // Six Pass states run in the start's one batch; each of their events carries the 150 KiB
    // input, so the batch is about 2.8 MB of sealed text: six insert statements of about 512 KiB.
    const machine = unique("big-batch");
    const States: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++)
      States[`S${i}`] = i === 5 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
    await putMachine(machine, { StartAt: "S0", States });
    const input = { blob: "x".repeat(150 * 1024) };
    const run = await start(machine, { input }, "?wait=10");
    expect(run.body.status).toBe("SUCCEEDED");
    const events = await history(machine, run.body.name);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(types(events)).toEqual([
      "ExecutionStarted",
      ...Array.from({ length: 6 }, () => ["PassStateEntered", "PassStateExited"]).flat(),
      "ExecutionSucceeded",
    ]);
    expect(events.at(-1)!.details).toMatchObject({ output: JSON.stringify(input) });
  });
});

group("stop", () => {
  it("aborts a running execution with ExecutionAborted", async () => {
    const machine = unique("stop");
    await putMachine(machine, { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const run = await start(machine, { name: "s" });
    const res = await api("POST", `/v1/machines/${machine}/executions/s/stop`, {
      body: { error: "Manual", cause: "by test" },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      status: "ABORTED",
      error: "Manual",
      cause: "by test",
      currentStates: [],
    });
    expect(types(await history(machine, run.body.name)).at(-1)).toBe("ExecutionAborted");
    // No timer is left behind once the index is written.
    await expect.poll(() => nextAlarm(executionObject(machine, "s"))).toBeNull();
  });
});

group("durability", () => {
  it("survives eviction in the middle of a Wait: the alarm completes it", async () => {
    const machine = unique("evict");
    await putMachine(machine, {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 3600, Next: "P" },
        P: { Type: "Pass", Result: "done", End: true },
      },
    });
    await start(machine, { name: "e", input: { secret: "s3cr3t" } });
    const stub = executionObject(machine, "e");
    // Encrypted at rest: neither the snapshot nor the history holds the input in clear.
    const stored = await runInDurableObject(stub, (_i, state) =>
      JSON.stringify([
        state.storage.kv.get("snapshot"),
        state.storage.sql.exec("SELECT body FROM history").toArray(),
      ]),
    );
    expect(stored).toContain("es1");
    expect(stored).not.toContain("s3cr3t");
    await evictDurableObject(stub);
    await fireTimer(stub);
    expect(await describe(machine, "e")).toMatchObject({ status: "SUCCEEDED", output: "done" });
  });

  it("enforces the execution's TimeoutSeconds with the alarm (TIMED_OUT)", async () => {
    const machine = unique("timeout");
    await putMachine(machine, {
      TimeoutSeconds: 5,
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 3600, End: true } },
    });
    await start(machine, { name: "t" });
    const at = await fireTimer(executionObject(machine, "t"));
    expect(at - Date.parse((await describe(machine, "t")).startedAt)).toBe(5000);
    expect(await describe(machine, "t")).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(types(await history(machine, "t")).at(-1)).toBe("ExecutionTimedOut");
  });

  it("keeps tenants apart", async () => {
    const machine = unique("iso");
    const a = await issueKey("exec-a");
    const b = await issueKey("exec-b");
    await putMachine(
      machine,
      { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } },
      undefined,
    );
    expect((await api("PUT", `/v1/machines/${machine}`, { body: HELLO_WORLD, key: a })).status).toBe(201);
    expect(
      (await api("POST", `/v1/machines/${machine}/executions`, { body: { name: "x" }, key: a })).status,
    ).toBe(201);
    expect((await api("GET", `/v1/machines/${machine}/executions/x`, { key: b })).status).toBe(404);
    expect(
      (await api("POST", `/v1/machines/${machine}/executions/x/stop`, { body: {}, key: b })).status,
    ).toBe(404);
    expect((await api("GET", `/v1/machines/${machine}/executions/x/history`, { key: b })).status).toBe(404);
  });
});

group("diagram with an execution", () => {
  it("colours states by the execution's outcomes", async () => {
    const machine = unique("svg");
    await putMachine(machine, HELLO_WORLD);
    const run = await start(machine, { input: { IsHelloWorldExample: false } }, "?wait=5");
    const res = await api("GET", `/v1/machines/${machine}/diagram.svg?execution=${run.body.name}`);
    expect(res.status).toBe(200);
    const svg = await res.text();
    expect(svg).toContain("Failed");
    expect(svg).toContain("Not reached");
    expect((await api("GET", `/v1/machines/${machine}/diagram.svg?execution=none`)).status).toBe(404);
  });
});
