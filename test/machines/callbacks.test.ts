import { afterEach, expect, describe as group, it, vi } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import {
  captureTokens,
  describe,
  executionObject,
  fireTimer,
  history,
  nextAlarm,
  putMachine,
  start,
  types,
} from "./support";

const CALLBACK = "arn:aws:states:::http:invoke.waitForTaskToken";

afterEach(() => {
  vi.restoreAllMocks();
});

async function waitingMachine(extra: Record<string, unknown> = {}, tenant?: string) {
  const machine = unique("cb");
  await putMachine(
    machine,
    {
      StartAt: "Approve",
      States: {
        Approve: {
          Type: "Task",
          Resource: CALLBACK,
          Parameters: {
            ApiEndpoint: "https://approvals.example.com/requests",
            Method: "POST",
            RequestBody: { "token.$": "$$.Task.Token", "order.$": "$.order" },
          },
          ...extra,
          End: true,
        },
      },
    },
    tenant,
  );
  return machine;
}

const post = (kind: string, body: unknown, key?: string) =>
  api("POST", `/v1/callbacks/${kind}`, { body, ...(key ? { key } : {}) });

group("callbacks for .waitForTaskToken", () => {
  it("waits after the call, then succeeds with the callback's output; the token is stale afterwards", async () => {
    const tokens = captureTokens();
    const machine = await waitingMachine();
    await start(machine, { name: "ok", input: { order: 7 } });
    await expect.poll(() => tokens.length).toBe(1);
    expect(tokens[0]).toMatch(/^est1\./);
    expect(await describe(machine, "ok")).toMatchObject({ status: "RUNNING", currentStates: ["Approve"] });

    const res = await post("success", { taskToken: tokens[0], output: { approved: true } });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await describe(machine, "ok")).status).toBe("SUCCEEDED");
    expect((await describe(machine, "ok")).output).toEqual({ approved: true });
    expect(types(await history(machine, "ok"))).toContain("TaskSucceeded");

    const again = await post("success", { taskToken: tokens[0], output: {} });
    expect(again.status).toBe(404);
    expect(again.headers.get("Content-Type")).toContain("application/problem+json");
  });

  it("fails the task with the callback's error and cause", async () => {
    const tokens = captureTokens();
    const machine = await waitingMachine();
    await start(machine, { name: "no", input: { order: 8 } });
    await expect.poll(() => tokens.length).toBe(1);
    expect(
      (await post("failure", { taskToken: tokens[0], error: "Rejected", cause: "too big" })).status,
    ).toBe(200);
    await expect.poll(async () => (await describe(machine, "no")).status).toBe("FAILED");
    expect(await describe(machine, "no")).toMatchObject({ error: "Rejected", cause: "too big" });
  });

  it("refuses forged or malformed tokens with 400 and hides other tenants' tasks behind 404", async () => {
    const tokens = captureTokens();
    const owner = await issueKey("cb-owner");
    const other = await issueKey("cb-other");
    const machine = await waitingMachine({}, undefined);
    // Same definition under the owner's tenant.
    expect(
      (
        await api("PUT", `/v1/machines/${machine}`, {
          body: (await json<{ definition: unknown }>(await api("GET", `/v1/machines/${machine}`))).definition,
          key: owner,
        })
      ).status,
    ).toBe(201);
    await api("POST", `/v1/machines/${machine}/executions`, {
      body: { name: "t", input: { order: 1 } },
      key: owner,
    });
    await expect.poll(() => tokens.length).toBe(1);
    const token = tokens[0]!;
    const parts = token.split(".");
    const forged = [...parts.slice(0, 3), `${parts[3]!.slice(0, -2)}AA`].join(".");
    const tampered = [
      parts[0],
      parts[1],
      btoa('["cb-other","x","y","t1"]').replaceAll("=", ""),
      parts[3],
    ].join(".");
    for (const bad of [forged, tampered, "not-a-token", "est1.k1.e30.AAAA"]) {
      expect((await post("success", { taskToken: bad, output: {} }, owner)).status).toBe(400);
    }
    expect((await post("success", { taskToken: token, output: {} }, other)).status).toBe(404);
    expect((await post("heartbeat", { taskToken: token }, other)).status).toBe(404);
    expect((await post("success", { taskToken: token, output: 1 }, owner)).status).toBe(200);
  });

  it("refuses bad callback bodies with problem+json 400s", async () => {
    expect((await post("success", { output: {} })).status).toBe(400);
    expect((await post("failure", { taskToken: "x", extra: 1 })).status).toBe(400);
    expect((await post("heartbeat", {})).status).toBe(400);
  });

  it("times a waiting task out at TimeoutSeconds (States.Timeout, TaskTimedOut)", async () => {
    const tokens = captureTokens();
    const machine = await waitingMachine({ TimeoutSeconds: 30 });
    const run = await start(machine, { name: "slow", input: { order: 1 } });
    await expect.poll(() => tokens.length).toBe(1);
    const at = await fireTimer(executionObject(machine, "slow"));
    expect(
      at - Date.parse(run.body.startedAt ?? (await describe(machine, "slow")).startedAt),
    ).toBeGreaterThanOrEqual(30_000);
    expect(await describe(machine, "slow")).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(types(await history(machine, "slow"))).toContain("TaskTimedOut");
    expect((await post("success", { taskToken: tokens[0], output: {} })).status).toBe(404);
  });

  it("keeps a task alive with heartbeats and fails it with States.HeartbeatTimeout when they stop", async () => {
    const tokens = captureTokens();
    const machine = await waitingMachine({ TimeoutSeconds: 3600, HeartbeatSeconds: 10 });
    await start(machine, { name: "hb", input: { order: 1 } });
    await expect.poll(() => tokens.length).toBe(1);
    const stub = executionObject(machine, "hb");
    await expect.poll(async () => ((await nextAlarm(stub)) ?? 0) - Date.now()).toBeGreaterThan(5_000);
    const before = (await nextAlarm(stub))!;
    await new Promise((r) => setTimeout(r, 20)); // so the heartbeat lands at a later millisecond
    expect((await post("heartbeat", { taskToken: tokens[0] })).status).toBe(200);
    expect((await nextAlarm(stub))!).toBeGreaterThan(before);
    expect((await describe(machine, "hb")).status).toBe("RUNNING");
    await fireTimer(stub);
    expect(await describe(machine, "hb")).toMatchObject({
      status: "FAILED",
      error: "States.HeartbeatTimeout",
    });
  });
});
