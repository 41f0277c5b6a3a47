// GET …/executions/{execution}/tasks: what a running execution waits on, and the token that
// finishes a `.waitForTaskToken` task, so it can be completed without the receiver's help.
import { expect, describe as group, it } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { describe, putMachine, start } from "./support";

interface Waiting {
  items: {
    taskId: string;
    state: string;
    resource: string;
    taskToken: string | null;
    timeoutAt: string;
    heartbeatAt: string | null;
  }[];
}

const tasksOf = async (machine: string, execution: string, key?: string) =>
  api("GET", `/v1/machines/${machine}/executions/${execution}/tasks`, key ? { key } : {});

/** An entity task that waits for its token: it needs no outside service. */
async function approval(tenant?: string) {
  const machine = unique("approve");
  await putMachine(
    machine,
    {
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "edgestate:entity:put.waitForTaskToken",
          Parameters: { Type: "approval", "Id.$": "$$.Execution.Name", Body: { "token.$": "$$.Task.Token" } },
          HeartbeatSeconds: 600,
          TimeoutSeconds: 3600,
          End: true,
        },
      },
    },
    tenant,
  );
  return machine;
}

group("the tasks an execution waits on", () => {
  it("lists a callback task with its token, and that token completes it", async () => {
    const machine = await approval();
    const run = unique("r");
    const started = await start(machine, { name: run });
    const res = await tasksOf(machine, run);
    expect(res.status).toBe(200);
    const { items } = await json<Waiting>(res);
    expect(items).toHaveLength(1);
    const [task] = items;
    expect(task).toMatchObject({ state: "Ask", resource: "edgestate:entity:put.waitForTaskToken" });
    expect(task!.taskToken).toMatch(/^est1\./);
    // The task is entered as the execution starts: its deadlines count from then.
    const startedAt = Date.parse(started.body.startedAt);
    expect(Date.parse(task!.timeoutAt) - startedAt).toBe(3600_000);
    expect(Date.parse(task!.heartbeatAt!) - startedAt).toBe(600_000);

    const done = await api("POST", "/v1/callbacks/success", {
      body: { taskToken: task!.taskToken, output: { approved: true } },
    });
    expect(done.status).toBe(200);
    expect(await describe(machine, run)).toMatchObject({ status: "SUCCEEDED", output: { approved: true } });
    expect(await json<Waiting>(await tasksOf(machine, run))).toEqual({ items: [] });
  });

  it("lists nothing for an execution that waits on a timer, not a task", async () => {
    const machine = unique("wait");
    await putMachine(machine, { StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } });
    const run = unique("r");
    await start(machine, { name: run });
    expect(await json<Waiting>(await tasksOf(machine, run))).toEqual({ items: [] });
  });

  it("is a 404 for an unknown execution and for another tenant's", async () => {
    const machine = await approval();
    expect((await tasksOf(machine, unique("none"))).status).toBe(404);
    const run = unique("r");
    await start(machine, { name: run });
    const other = await issueKey(unique("other"));
    expect((await tasksOf(machine, run, other)).status).toBe(404);
  });

  it("needs only the read scope", async () => {
    const tenant = unique("ro");
    const machine = await approval(tenant);
    const run = unique("r");
    await start(machine, { name: run }, "", tenant);
    const reader = await issueKey(tenant, ["read"]);
    const res = await tasksOf(machine, run, reader);
    expect(res.status).toBe(200);
    expect((await json<Waiting>(res)).items).toHaveLength(1);
  });
});
