import { describe, expect, it } from "vitest";
import { executionObject, fireTimer, putMachine, start } from "../machines/support";
import { unique } from "../support/api";
import { dataOf, readSse } from "../watch/sse";
import { page, signIn } from "./support";

const WAITING = {
  StartAt: "Wait",
  States: { Wait: { Type: "Wait", Seconds: 30, Next: "Done" }, Done: { Type: "Pass", End: true } },
};

describe("the execution page watches instead of polling", () => {
  it("points a running execution's page at its watch, polling only as the fallback", async () => {
    const { cookie } = await signIn();
    const machine = unique("m");
    await putMachine(machine, WAITING);
    await start(machine, { name: "run" });
    const html = await (await page(`/console/machines/${machine}/executions/run`, { cookie })).text();
    expect(html).toContain(`data-watch="/console/machines/${machine}/executions/run/events?since=`);
    expect(html).toContain('data-poll="1500"');
  });

  it("streams the execution's watch through, with the signed-in key, until it ends", async () => {
    const { cookie } = await signIn();
    const machine = unique("m");
    await putMachine(machine, WAITING);
    await start(machine, { name: "run" });
    const res = await page(`/console/machines/${machine}/executions/run/events?since=0`, { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/event-stream; charset=utf-8");
    const stream = readSse(res.body!);
    expect(dataOf(await stream.count(1))[0]).toMatchObject({
      type: "status",
      execution: { status: "RUNNING" },
    });
    await fireTimer(executionObject(machine, "run"));
    await stream.ended;
    expect(stream.events.at(-1)?.event).toBe("close");
    const messages = dataOf(stream.events.filter((e) => e.event === "message"));
    expect(messages.at(-1)).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
  });

  it("keeps a refusal's status, so the page falls back to polling; signed out, it is sent to sign in", async () => {
    const { cookie } = await signIn();
    const missing = await page(`/console/machines/${unique("m")}/executions/nope/events`, { cookie });
    expect(missing.status).toBe(404);
    const signedOut = await page(`/console/machines/m/executions/x/events`);
    expect(signedOut.headers.get("Content-Type") ?? "").not.toContain("text/event-stream");
  });
});
