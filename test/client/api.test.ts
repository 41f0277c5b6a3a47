// The rest of the API through the client against wrangler dev: sessions and subjects, machines,
// executions (start, describe, wait, history pages, stop, redrive, listings, waiting tasks),
// callbacks and keys, each with the types a user's code sees.
import {
  createClient,
  type ExecutionDescription,
  type HistoryEvent,
  type IssuedKey,
  type Session,
} from "edgestate/client";
import { describe, expect, inject, it } from "vitest";
import { client, failure, unique } from "./support";

const es = client();

const pass = { StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, End: true } } };

describe("sessions and subjects", () => {
  it("create, get, patch, revoke; a subject's sessions and log out everywhere", async () => {
    const subject = unique("user");
    const session: Session = await es.sessions.create({ subject, data: { theme: "light" }, ttl: 600 });
    expect(session).toMatchObject({ subject, data: { theme: "light" }, version: 1 });
    expect((await es.sessions.get(session.id)).id).toBe(session.id);
    const patched = await es.sessions.patch(session.id, { theme: "dark", cart: 3 }, { ifMatch: 1 });
    expect(patched).toMatchObject({ data: { theme: "dark", cart: 3 }, version: 2 });
    expect((await failure(es.sessions.patch(session.id, { x: 1 }, { ifMatch: 1 }))).code).toBe(
      "precondition-failed",
    );
    await es.sessions.revoke(session.id);
    expect((await failure(es.sessions.get(session.id))).code).toBe("not-found");

    const a = await es.sessions.create({ subject });
    const b = await es.sessions.create({ subject });
    expect((await es.subjects.sessions(subject)).items.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(await es.subjects.revokeAll(subject)).toEqual({ revoked: 2 });
    expect((await es.subjects.sessions(subject)).items).toEqual([]);
    expect((await failure(es.sessions.get(b.id))).code).toBe("not-found");
  });
});

describe("machines", () => {
  it("put, get, list, validate, diagram, delete", async () => {
    const name = unique("m");
    const written = await es.machines.put(name, pass);
    expect(written).toMatchObject({ name, version: 1, diagnostics: [] });
    expect(await es.machines.put(name, pass)).toMatchObject({ version: 1 });
    const machine = await es.machines.get(name);
    expect(machine).toMatchObject({ name, version: 1, latestVersion: 1, definition: pass });
    await expect.poll(async () => (await es.machines.list()).items.map((m) => m.name)).toContain(name);
    const invalid = await es.machines.validate({ StartAt: "Nowhere", States: {} });
    expect(invalid.valid).toBe(false);
    expect(invalid.diagnostics.length).toBeGreaterThan(0);
    expect(await es.machines.diagram(name)).toMatch(/^<svg/);
    const refused = await failure(es.machines.put(unique("m"), { StartAt: "X", States: {} }));
    expect(refused.code).toBe("bad-request");
    expect(refused.errors.length).toBeGreaterThan(0);
    await es.machines.delete(name);
    expect((await failure(es.machines.get(name))).code).toBe("not-found");
  });

  it("testState runs one state", async () => {
    const result = await es.machines.testState({
      definition: { Type: "Pass", Parameters: { "doubled.$": "States.MathAdd($.n, $.n)" }, End: true },
      input: { n: 21 },
    });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { doubled: 42 } });
  });
});

describe("executions and callbacks", () => {
  it("start, describe, wait, history as pages, list across machines", async () => {
    const machine = unique("m");
    await es.machines.put(machine, {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "B" },
        B: { Type: "Pass", Next: "C" },
        C: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.x, 1)" }, End: true },
      },
    });
    const started = await es.executions.start(machine, { input: { x: 41 }, name: "first" });
    expect(started).toMatchObject({ name: "first", machine, machineVersion: 1 });
    const ended: ExecutionDescription = await es.executions.wait(machine, "first", { timeoutMs: 20_000 });
    expect(ended).toMatchObject({ status: "SUCCEEDED", output: { sum: 42 }, input: { x: 41 } });
    expect(await es.executions.describe(machine, "first")).toEqual(ended);
    const events: HistoryEvent[] = [];
    let pageCount = 0;
    for await (const page of es.executions.history(machine, "first", { limit: 3 })) {
      pageCount++;
      events.push(...page.events);
    }
    expect(pageCount).toBeGreaterThan(1);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(0)?.type).toBe("ExecutionStarted");
    expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
    const held = await es.executions.start(machine, { input: { x: 1 }, waitSeconds: 10 });
    expect(held).toMatchObject({ status: "SUCCEEDED", output: { sum: 2 } });
    await expect.poll(async () => (await es.executions.list(machine)).items.length).toBe(2);
    await expect
      .poll(async () => (await es.executions.listAll({ status: "SUCCEEDED" })).items.map((e) => e.machine))
      .toContain(machine);
    expect((await failure(es.executions.describe(machine, "nope"))).code).toBe("not-found");
  });

  it("a waiting task's token: heartbeat and succeed; another one fails, then stop and redrive", async () => {
    const machine = unique("approval");
    await es.machines.put(machine, {
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "edgestate:entity:put.waitForTaskToken",
          Parameters: { Type: "approval", "Id.$": "$$.Execution.Name", Body: { "token.$": "$$.Task.Token" } },
          HeartbeatSeconds: 3600,
          End: true,
        },
      },
    });
    const token = async (name: string) => {
      await expect.poll(async () => (await es.executions.tasks(machine, name))[0]?.taskToken).toBeTruthy();
      return (await es.executions.tasks(machine, name))[0]!.taskToken!;
    };
    await es.executions.start(machine, { name: "yes" });
    const yes = await token("yes");
    await es.callbacks.heartbeat(yes);
    await es.callbacks.succeed(yes, { approved: true });
    expect(await es.executions.wait(machine, "yes", { timeoutMs: 20_000 })).toMatchObject({
      status: "SUCCEEDED",
      output: { approved: true },
    });
    expect((await failure(es.callbacks.succeed(yes, {}))).code).toBe("not-found");

    await es.executions.start(machine, { name: "no" });
    await es.callbacks.fail(await token("no"), { error: "Rejected", cause: "too big" });
    expect(await es.executions.wait(machine, "no")).toMatchObject({ status: "FAILED", error: "Rejected" });

    await es.executions.start(machine, { name: "stopped" });
    await token("stopped");
    const stopped = await es.executions.stop(machine, "stopped", { error: "Cancelled" });
    expect(stopped).toMatchObject({ status: "ABORTED", error: "Cancelled" });
    const redriven = await es.executions.redrive(machine, "stopped");
    expect(redriven).toMatchObject({ status: "RUNNING", redriveCount: 1 });
    await es.callbacks.succeed(await token("stopped"), { second: true });
    expect(await es.executions.wait(machine, "stopped")).toMatchObject({ status: "SUCCEEDED" });
  });

  it("wait() gives up with code timeout while the execution still runs", async () => {
    const machine = unique("slow");
    await es.machines.put(machine, {
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 600, End: true } },
    });
    await es.executions.start(machine, { name: "w" });
    const started = Date.now();
    const e = await failure(es.executions.wait(machine, "w", { timeoutMs: 500 }));
    expect(e).toMatchObject({ code: "timeout", status: 0 });
    expect(Date.now() - started).toBeLessThan(3_000);
    await es.executions.stop(machine, "w");
  });
});

describe("keys", () => {
  it("issue (secret once), list, use, revoke; a read key cannot write", async () => {
    const tenant = unique("t").replace(/[^a-z0-9-]/g, "");
    const issued: IssuedKey = await es.keys.create({ tenant, scopes: ["read"], name: "reader" });
    expect(issued).toMatchObject({
      tenant,
      scopes: ["read"],
      name: "reader",
      key: expect.stringMatching(/^esk_/),
    });
    expect((await es.keys.list({ tenant })).items.map((k) => k.id)).toEqual([issued.id]);
    const reader = createClient({ url: inject("baseUrl"), key: issued.key });
    expect((await failure(reader.entities.get("cart", "x"))).code).toBe("not-found");
    expect((await failure(reader.entities.put("cart", "x", {}))).code).toBe("forbidden");
    await es.keys.revoke(issued.id);
    await es.keys.revoke(issued.id);
    expect((await failure(reader.entities.get("cart", "x"))).code).toBe("unauthorized");
  });
});
