// A name already used, through StartExecution and StartSyncExecution. AWS: "If the execution is
// closed or if the input is different, it returns a 400 ExecutionAlreadyExists error"; only the
// same name and input while it runs is an idempotent start. The REST API keeps its own rule (the
// same name and input → 200 with the existing execution, whatever its status; test/machines).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { type AwsKey, aws, awsKey } from "./support";

const PASS = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Result: { ok: 1 }, End: true } } });
const WAITS = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const STARTED_AT = JSON.stringify({
  StartAt: "A",
  States: { A: { Type: "Pass", Parameters: { "at.$": "$$.Execution.StartTime" }, End: true } },
});
const ROLE = "arn:aws:iam::123456789012:role/sfn";

async function machine(key: AwsKey, name: string, definition: string): Promise<string> {
  const created = await aws(key, "CreateStateMachine", { name, definition, roleArn: ROLE });
  expect(created.status).toBe(200);
  return created.body.stateMachineArn as string;
}

describe("StartExecution with a name already used", () => {
  it("the same input while it runs → 200 with the running execution's ARN and startDate", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const arn = await machine(key, "waits", WAITS);
    const first = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    expect(first.status).toBe(200);
    const again = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    await aws(key, "StopExecution", { executionArn: first.body.executionArn });
  });

  it("another input while it runs → 400 ExecutionAlreadyExists", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const arn = await machine(key, "waits", WAITS);
    await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    const other = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: '{"a":1}' });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ __type: "ExecutionAlreadyExists" });
    await aws(key, "StopExecution", { executionArn: `${arn.replace(":stateMachine:", ":execution:")}:run` });
  });

  it("the same input once it has closed → 400 ExecutionAlreadyExists, not the old ARN as a new start", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const arn = await machine(key, "m", PASS);
    const first = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    expect(first.status).toBe(200);
    await env.EXECUTIONS.getByName(`${tenant}/m/run`).awaitEnd(10_000);
    const again = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      __type: "ExecutionAlreadyExists",
      message: `Execution Already Exists: '${first.body.executionArn}'`,
    });
  });
});

describe("StartSyncExecution with a name already used", () => {
  it("after that execution closed → 400 ExecutionAlreadyExists, not the old run's result as this run's", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const arn = await machine(key, "s", STARTED_AT);
    const nightly = { stateMachineArn: arn, name: "nightly", input: "{}" };
    const first = await aws(key, "StartSyncExecution", nightly);
    expect(first.body.status).toBe("SUCCEEDED");
    const second = await aws(key, "StartSyncExecution", nightly);
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({ __type: "ExecutionAlreadyExists" });
  });

  it("while an execution of that name runs, even with the same input → 400 ExecutionAlreadyExists", async () => {
    // An Express workflow has no idempotent start: each StartSyncExecution runs anew. edgestate
    // cannot run a second execution under a name, and must not answer with a run it did not start.
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const arn = await machine(key, "waits", WAITS);
    const running = await aws(key, "StartExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    const sync = await aws(key, "StartSyncExecution", { stateMachineArn: arn, name: "run", input: "{}" });
    expect(sync.status).toBe(400);
    expect(sync.body).toMatchObject({ __type: "ExecutionAlreadyExists" });
    await aws(key, "StopExecution", { executionArn: running.body.executionArn });
  });
});
