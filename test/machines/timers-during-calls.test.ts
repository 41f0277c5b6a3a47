// The alarm handler awaits the task calls it started, but only until the next timer: a Wait in a
// sibling branch, the execution's TimeoutSeconds or a heartbeat timeout fires on time while a
// slow call is still in flight.
import { afterEach, expect, describe as group, it, vi } from "vitest";
import { unique } from "../support/api";
import { describe, history, mockFetch, putMachine, start } from "./support";

afterEach(() => vi.restoreAllMocks());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

group("timers while a task call is in flight", () => {
  it("a sibling branch's Wait 1 s ends ~1 s after it started, not when the slow call returns", async () => {
    mockFetch(async () => {
      await sleep(6_000);
      return Response.json({ ok: true });
    });
    const machine = unique("hf-slow");
    await putMachine(machine, {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Slow",
              States: {
                Slow: {
                  Type: "Task",
                  Resource: "http:invoke",
                  Parameters: { ApiEndpoint: "https://slow.example.com/", Method: "GET" },
                  End: true,
                },
              },
            },
            { StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, End: true } } },
          ],
          End: true,
        },
      },
    });
    await start(machine, { name: "p" });
    await expect
      .poll(async () => (await describe(machine, "p")).status, { timeout: 20_000 })
      .toBe("SUCCEEDED");
    const h = await history(machine, "p");
    const entered = h.find((e) => e.type === "WaitStateEntered")!;
    const exited = h.find((e) => e.type === "WaitStateExited")!;
    const ms = Date.parse(exited.timestamp) - Date.parse(entered.timestamp);
    expect(ms).toBeLessThan(3_000);
  }, 30_000);

  it("execution TimeoutSeconds 1 ends the execution TIMED_OUT ~1 s in, even while a call hangs", async () => {
    mockFetch(async () => {
      await sleep(6_000);
      return Response.json({ ok: true });
    });
    const machine = unique("hf-to");
    await putMachine(machine, {
      StartAt: "Slow",
      TimeoutSeconds: 1,
      States: {
        Slow: {
          Type: "Task",
          Resource: "http:invoke",
          Parameters: { ApiEndpoint: "https://slow.example.com/", Method: "GET" },
          End: true,
        },
      },
    });
    await start(machine, { name: "t" });
    await sleep(3_000);
    const d = await describe(machine, "t");
    expect(d.status).toBe("TIMED_OUT");
  }, 30_000);
});
