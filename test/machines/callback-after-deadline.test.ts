// A callback that arrives after the task's TimeoutSeconds or HeartbeatSeconds passed, but before
// the object's alarm ran: the step that takes it times the task out first, as the alarm would
// have, so the callback is refused (404; TaskTimedOut on the AWS API), never answered as applied.
import { afterEach, expect, describe as group, it, vi } from "vitest";
import { aws, awsKey } from "../aws/support";
import { WAITING } from "../security/machines-support";
import { api, unique } from "../support/api";
import { ManualClock, useClock } from "../support/clock";
import { captureTokens, describe, executionObject, history, putMachine, start, types } from "./support";

afterEach(() => vi.restoreAllMocks());

/** The one waiting task of test/security/machines-support.ts, with `extra` fields on it. */
async function machineWith(extra: Record<string, unknown>, tenant?: string) {
  const machine = unique("hf-cb");
  await putMachine(
    machine,
    { ...WAITING, States: { Approve: { ...WAITING.States.Approve, ...extra } } },
    tenant,
  );
  return machine;
}

group("callback after the task's deadline, before the alarm ran", () => {
  it("SendTaskSuccess after TimeoutSeconds is refused, not reported delivered", async () => {
    const tokens = captureTokens();
    const machine = await machineWith({ TimeoutSeconds: 30 });
    await start(machine, { name: "late" });
    await expect.poll(() => tokens.length).toBe(1);
    const clock = new ManualClock(Date.now());
    await useClock(executionObject(machine, "late"), clock);
    clock.advance(31_000);

    const res = await api("POST", "/v1/callbacks/success", {
      body: { taskToken: tokens[0], output: { ok: 1 } },
    });
    const d = await describe(machine, "late");
    const h = types(await history(machine, "late"));
    // the callback was not applied: the task timed out
    expect(d.status).toBe("FAILED");
    expect(d.error).toBe("States.Timeout");
    expect(h).not.toContain("TaskSucceeded");
    // ...so it must not be reported as delivered
    expect(res.status).toBe(404);
  });

  it("SendTaskHeartbeat after HeartbeatSeconds is refused, not reported delivered", async () => {
    const tokens = captureTokens();
    const machine = await machineWith({ TimeoutSeconds: 3600, HeartbeatSeconds: 10 });
    await start(machine, { name: "hb" });
    await expect.poll(() => tokens.length).toBe(1);
    const clock = new ManualClock(Date.now());
    await useClock(executionObject(machine, "hb"), clock);
    clock.advance(11_000);

    const res = await api("POST", "/v1/callbacks/heartbeat", { body: { taskToken: tokens[0] } });
    const d = await describe(machine, "hb");
    expect(d.status).toBe("FAILED");
    expect(d.error).toBe("States.HeartbeatTimeout");
    expect(res.status).toBe(404);
  });

  it("AWS SendTaskSuccess after TimeoutSeconds answers TaskTimedOut, not 200", async () => {
    const tokens = captureTokens();
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const machine = await machineWith({ TimeoutSeconds: 30 }, tenant);
    await start(machine, { name: "aws" }, "", tenant);
    await expect.poll(() => tokens.length).toBe(1);
    const clock = new ManualClock(Date.now());
    await useClock(executionObject(machine, "aws", tenant), clock);
    clock.advance(31_000);
    const res = await aws(key, "SendTaskSuccess", { taskToken: tokens[0], output: "{}" });
    expect((await describe(machine, "aws", tenant)).error).toBe("States.Timeout");
    expect(res.status).toBe(400);
    expect(res.body.__type).toContain("TaskTimedOut");
  });
});
