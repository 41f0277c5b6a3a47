import { expect, describe as group, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { putMachine, start } from "./support";

const task = (name: string, action: string, parameters: unknown, next: string | null, extra = {}) => ({
  [name]: {
    Type: "Task",
    Resource: `edgestate:entity:${action}`,
    Parameters: parameters,
    ...extra,
    ...(next ? { Next: next } : { End: true }),
  },
});

group("edgestate:entity tasks", () => {
  it("puts, patches, reads and deletes the tenant's own entities", async () => {
    const key = await issueKey("ent-tasks");
    const id = unique("order");
    const machine = unique("ent");
    const definition = {
      StartAt: "Put",
      States: {
        ...task("Put", "put", { Type: "order", "Id.$": "$.id", Body: { status: "new", qty: 1 } }, "Patch", {
          ResultPath: "$.put",
        }),
        ...task(
          "Patch",
          "patch",
          { Type: "order", "Id.$": "$.id", Body: { status: "paid" }, "IfMatch.$": "$.put.ETag" },
          "Get",
          {
            ResultPath: "$.patch",
          },
        ),
        ...task("Get", "get", { Type: "order", "Id.$": "$.id" }, "Delete", { ResultPath: "$.get" }),
        ...task("Delete", "delete", { Type: "order", "Id.$": "$.id" }, "GetAgain", {
          ResultPath: "$.delete",
        }),
        ...task("GetAgain", "get", { Type: "order", "Id.$": "$.id" }, null, {
          Catch: [{ ErrorEquals: ["Edgestate.NotFound"], ResultPath: "$.missing", Next: "Done" }],
        }),
        Done: { Type: "Succeed" },
      },
    };
    expect((await api("PUT", `/v1/machines/${machine}`, { body: definition, key })).status).toBe(201);
    const res = await api("POST", `/v1/machines/${machine}/executions?wait=10`, {
      body: { input: { id } },
      key,
    });
    const run = await json<{ status: string; output: Record<string, Record<string, unknown>> }>(res);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output.put).toMatchObject({ Type: "order", Id: id, Version: 1, ETag: '"1"', Created: true });
    expect(run.output.patch).toMatchObject({ Version: 2, Body: { status: "paid", qty: 1 } });
    expect(run.output.get).toMatchObject({ Version: 2, Body: { status: "paid", qty: 1 } });
    expect(run.output.delete).toEqual({ Type: "order", Id: id, Deleted: true });
    expect(run.output.missing).toMatchObject({ Error: "Edgestate.NotFound" });
    // Another tenant's entities were never touched: the default tenant has no such entity.
    expect((await api("GET", `/v1/entities/order/${id}`)).status).toBe(404);
  });

  it("names failures: PreconditionFailed on a stale IfMatch, InvalidParameters on a bad Type", async () => {
    const id = unique("doc");
    await api("PUT", `/v1/entities/doc/${id}`, { body: { v: 1 } });
    await api("PUT", `/v1/entities/doc/${id}`, { body: { v: 2 } });
    const machine = unique("ent-err");
    await putMachine(machine, {
      StartAt: "Write",
      States: task("Write", "put", { Type: "doc", "Id.$": "$.id", Body: { v: 3 }, IfMatch: 1 }, null),
    });
    const stale = await start(machine, { input: { id } }, "?wait=10");
    expect(stale.body).toMatchObject({ status: "FAILED", error: "Edgestate.PreconditionFailed" });
    expect(await json(await api("GET", `/v1/entities/doc/${id}`))).toEqual({ v: 2 });

    const bad = unique("ent-bad");
    await putMachine(bad, {
      StartAt: "Read",
      States: task("Read", "get", { Type: "Not A Type", Id: "x" }, null),
    });
    expect((await start(bad, {}, "?wait=10")).body).toMatchObject({
      status: "FAILED",
      error: "Edgestate.InvalidParameters",
    });
  });

  // Issue 11 #2: the task's idempotency key is the execution's own, not its name.
  it("two machines whose executions share a name each apply their own write to the same entity", async () => {
    const id = unique("shared");
    const machines = [unique("ent-a"), unique("ent-b")];
    for (const [i, machine] of machines.entries()) {
      const definition = {
        StartAt: "Put",
        States: task("Put", "put", { Type: "doc", Id: id, Body: { by: i } }, null),
      };
      expect((await api("PUT", `/v1/machines/${machine}`, { body: definition })).status).toBe(201);
    }
    const outputs = [];
    for (const machine of machines) {
      const res = await api("POST", `/v1/machines/${machine}/executions?wait=10`, {
        body: { name: "order-42" },
      });
      const run = await json<{ status: string; output: { Version: number; Body: unknown } }>(res);
      expect(run.status).toBe("SUCCEEDED");
      outputs.push(run.output);
    }
    expect(outputs.map((o) => o.Version)).toEqual([1, 2]);
    expect(outputs[1]!.Body).toEqual({ by: 1 });
    expect(await json(await api("GET", `/v1/entities/doc/${id}`))).toEqual({ by: 1 });
  });

  // Issue 11 #8: the entity's decision (core/entity/decide.ts) holds the depth limit on every path.
  it("refuses a document nested deeper than 64 levels, as the HTTP API does", async () => {
    const id = unique("deep");
    const machine = unique("ent-deep");
    const definition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Parameters: { d: {}, i: 0 }, Next: "Loop" },
        Loop: {
          Type: "Choice",
          Choices: [{ Variable: "$.i", NumericGreaterThanEquals: 100, Next: "Put" }],
          Default: "Wrap",
        },
        Wrap: {
          Type: "Pass",
          Parameters: { d: { "x.$": "$.d" }, "i.$": "States.MathAdd($.i, 1)" },
          Next: "Loop",
        },
        ...task("Put", "put", { Type: "doc", Id: id, "Body.$": "$.d" }, null, {
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Done" }],
        }),
        Done: { Type: "Succeed" },
      },
    };
    expect((await api("PUT", `/v1/machines/${machine}`, { body: definition })).status).toBe(201);
    const res = await api("POST", `/v1/machines/${machine}/executions?wait=30`, { body: {} });
    const run = await json<{ status: string; output: { error: { Error: string; Cause: string } } }>(res);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output.error.Error).toBe("Edgestate.InvalidParameters");
    expect(run.output.error.Cause).toContain("nested deeper than 64 levels");
    expect((await api("GET", `/v1/entities/doc/${id}`)).status).toBe(404);
  });
});
