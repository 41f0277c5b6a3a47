// Replay cases for state machines, executions and callbacks.
import { expect } from "vitest";
import { json, unique } from "../../support/api";
import type { Replay } from "../../support/contract/replay";

const HELLO = { StartAt: "Hello", States: { Hello: { Type: "Pass", Result: "hi", End: true } } };

/** Stores its task token in an entity and waits for a callback: no outbound call, no mock. */
const waiting = (id: string) => ({
  StartAt: "Wait for approval",
  States: {
    "Wait for approval": {
      Type: "Task",
      Resource: "edgestate:entity:put.waitForTaskToken",
      Parameters: { Type: "approval", Id: id, Body: { "token.$": "$$.Task.Token" } },
      HeartbeatSeconds: 3600,
      End: true,
    },
  },
});

export async function replayMachines(r: Replay) {
  const name = unique("m");
  const path = `/v1/machines/${name}`;
  await r.send("POST", "/v1/definitions/validate", 200, { body: HELLO });
  await r.send("PUT", path, 201, { body: HELLO, headers: { "Idempotency-Key": unique("put") } });
  await r.send("PUT", path, 200, { body: HELLO });
  await r.send("PUT", path, 400, { body: { StartAt: "Nowhere", States: {} } });
  await r.send("PUT", path, 415, { raw: "StartAt: Hello", contentType: "application/yaml" });
  await r.send("GET", path, 200);
  await r.send("GET", `${path}?version=9`, 404);
  await r.send("GET", "/v1/machines?limit=5", 200);
  await r.send("GET", `${path}/diagram.svg`, 200);

  const executions = `${path}/executions`;
  await r.send("POST", executions, 201, {
    body: { name: "first" },
    headers: { "Idempotency-Key": unique("s") },
  });
  await r.send("POST", executions, 200, { body: { name: "first" } });
  await r.send("POST", executions, 409, { body: { name: "first", input: { other: true } } });
  await r.send("POST", `${executions}?wait=10`, 200, { body: { name: "waited" } });
  await r.send("POST", executions, 400, { body: { name: "no spaces allowed" } });
  await r.send("POST", "/v1/machines/no-such-machine/executions", 404);
  await r.send("GET", `${executions}?limit=10`, 200);
  await r.send("GET", `${executions}/waited`, 200);
  await r.send("GET", `${executions}/waited/history?limit=50`, 200);
  await r.send("GET", `${path}/diagram.svg?execution=waited`, 200);
  await r.send("GET", `${executions}/never`, 404);
  await r.send("DELETE", path, 204, { headers: { "Idempotency-Key": unique("d") } });
  await r.send("DELETE", path, 404);
}

export async function replayCallbacks(r: Replay) {
  const name = unique("cb");
  const token = async (id: string) => {
    let body: { token?: string } = {};
    await expect
      .poll(async () => {
        const res = await r.send("GET", `/v1/entities/approval/${id}`, 200).catch(() => null);
        body = res ? await json<{ token?: string }>(res) : {};
        return body.token;
      })
      .toBeTruthy();
    return body.token!;
  };
  const run = async (execution: string) => {
    const id = unique("approval");
    await r.send("PUT", `/v1/machines/${name}-${execution}`, 201, { body: waiting(id) });
    await r.send("POST", `/v1/machines/${name}-${execution}/executions`, 201, { body: { name: execution } });
    return token(id);
  };

  const approved = await run("approve");
  await r.send("POST", "/v1/callbacks/heartbeat", 200, { body: { taskToken: approved } });
  const key = { "Idempotency-Key": unique("cb") };
  await r.send("POST", "/v1/callbacks/success", 200, {
    body: { taskToken: approved, output: { ok: 1 } },
    headers: key,
  });
  await r.send("POST", "/v1/callbacks/success", 200, {
    body: { taskToken: approved, output: { ok: 1 } },
    headers: key,
  });
  await r.send("POST", "/v1/callbacks/success", 404, { body: { taskToken: approved, output: {} } });
  await r.send("POST", "/v1/callbacks/success", 400, { body: { taskToken: "forged", output: {} } });

  const refused = await run("refuse");
  await r.send("POST", "/v1/callbacks/failure", 200, { body: { taskToken: refused, error: "Refused" } });

  await run("stopped");
  await r.send("GET", `/v1/machines/${name}-stopped/executions/stopped/tasks`, 200);
  const stop = `/v1/machines/${name}-stopped/executions/stopped/stop`;
  await r.send("POST", stop, 200, {
    body: { cause: "no longer needed" },
    headers: { "Idempotency-Key": unique("stop") },
  });
  await r.send("POST", "/v1/machines/nothing/executions/never/stop", 404);
}
