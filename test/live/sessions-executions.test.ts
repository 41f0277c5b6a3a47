// A revoked session's watcher and an execution's watcher, against `wrangler dev`.
import { describe, expect, it } from "vitest";
import { call, openSse, openWebSocket, tenantKey } from "./clients";

describe("sessions and executions, watched live", () => {
  it("tells a session's watchers it was revoked, and ends their watch", async () => {
    const key = await tenantKey(`live-session-${Date.now()}`);
    const created = await call("POST", "/v1/sessions", key, { subject: "ada", data: { role: "admin" } });
    const id = String(created.body!.id);
    const ws = await openWebSocket(`/v1/sessions/${id}/watch`, key);
    const sse = await openSse(`/v1/sessions/${id}/watch`, key);
    await Promise.all([ws.until((m) => m.length >= 1), sse.until((m) => m.length >= 1)]);
    expect(ws.messages[0]).toEqual({ type: "data", version: 1, data: { role: "admin" } });
    expect((await call("DELETE", "/v1/subjects/ada/sessions", key)).status).toBe(200);
    expect(await ws.closed).toEqual({ code: 1000, reason: "the session was revoked" });
    expect(await sse.closed).toEqual({ code: 1000, reason: "the session was revoked" });
    expect(ws.messages.at(-1)).toEqual({ type: "revoked" });
    expect(sse.messages.at(-1)).toEqual({ type: "revoked" });
  });

  it("shows an execution's watcher the same events as /history, then its end", async () => {
    const key = await tenantKey(`live-exec-${Date.now()}`);
    const machine = `m-${Date.now()}`;
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "Wait" },
        Wait: { Type: "Wait", Seconds: 1, Next: "Both" },
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "L", States: { L: { Type: "Pass", End: true } } },
            { StartAt: "R", States: { R: { Type: "Pass", End: true } } },
          ],
          End: true,
        },
      },
    };
    expect((await call("PUT", `/v1/machines/${machine}`, key, definition)).status).toBe(201);
    const started = await call("POST", `/v1/machines/${machine}/executions`, key, { name: "run", input: {} });
    expect(started.status).toBe(201);
    const path = `/v1/machines/${machine}/executions/run`;
    const ws = await openWebSocket(`${path}/watch`, key);
    const sse = await openSse(`${path}/watch`, key);
    expect(await ws.closed).toEqual({ code: 1000, reason: "the execution has ended" });
    expect((await sse.closed).code).toBe(1000);
    const history = (await call("GET", `${path}/history?limit=1000`, key)).body!.events;
    for (const w of [ws, sse]) {
      expect(w.messages[0]).toMatchObject({ type: "status" });
      expect(w.messages.filter((m) => m.type === "event").map((m) => m.event)).toEqual(history);
      expect(w.messages.at(-1)).toMatchObject({ type: "status", execution: { status: "SUCCEEDED" } });
    }
  });
});
