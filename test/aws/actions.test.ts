// The state machine and execution actions through the Worker with hand-signed requests: ARNs that
// round-trip, tenants that cannot see each other, AWS's shapes. The SDK suite (test/aws-sdk) runs
// every action again with the real client.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../support/api";
import { aws, awsKey } from "./support";

const PASS = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Result: { ok: 1 }, End: true } } });
const ROLE = "arn:aws:iam::123456789012:role/sfn";

describe("state machines and executions over the AWS protocol", () => {
  it("create, describe, start, describe the execution and read its history", async () => {
    const tenant = unique("acct");
    const key = await awsKey(tenant);
    const created = await aws(key, "CreateStateMachine", { name: "orders", definition: PASS, roleArn: ROLE });
    expect(created.status).toBe(200);
    const machineArn = created.body.stateMachineArn as string;
    expect(machineArn).toBe(`arn:aws:states:us-east-1:${tenant}:stateMachine:orders`);
    expect(typeof created.body.creationDate).toBe("number");

    const described = await aws(key, "DescribeStateMachine", { stateMachineArn: machineArn });
    expect(described.body).toMatchObject({
      stateMachineArn: machineArn,
      name: "orders",
      roleArn: ROLE,
      type: "STANDARD",
      status: "ACTIVE",
    });
    expect(JSON.parse(described.body.definition as string)).toEqual(JSON.parse(PASS));

    const started = await aws(key, "StartExecution", {
      stateMachineArn: machineArn,
      name: "run-1",
      input: '{"a":1}',
    });
    expect(started.body.executionArn).toBe(`arn:aws:states:us-east-1:${tenant}:execution:orders:run-1`);
    await env.EXECUTIONS.getByName(`${tenant}/orders/run-1`).awaitEnd(10_000);
    const execution = await aws(key, "DescribeExecution", { executionArn: started.body.executionArn });
    expect(execution.body).toMatchObject({
      status: "SUCCEEDED",
      input: '{"a":1}',
      output: '{"ok":1}',
      redriveCount: 0,
    });
    const history = await aws(key, "GetExecutionHistory", {
      executionArn: started.body.executionArn,
      reverseOrder: true,
      maxResults: 2,
    });
    const events = history.body.events as { type: string; id: number; timestamp: number }[];
    expect(events.map((e) => e.type)).toEqual(["ExecutionSucceeded", "PassStateExited"]);
    expect(typeof events[0]!.timestamp).toBe("number");
    expect(history.body.nextToken).toBeTypeOf("string");
    expect(events[0]).toHaveProperty("executionSucceededEventDetails");
  });

  it("another tenant's ARN names nothing: does not exist, never forbidden", async () => {
    const owner = await awsKey(unique("acct"));
    const created = await aws(owner, "CreateStateMachine", {
      name: "private",
      definition: PASS,
      roleArn: ROLE,
    });
    const other = await awsKey(unique("acct"));
    const res = await aws(other, "DescribeStateMachine", { stateMachineArn: created.body.stateMachineArn });
    expect(res.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
    const start = await aws(other, "StartExecution", { stateMachineArn: created.body.stateMachineArn });
    expect(start.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
    const inRegion = await aws(
      owner,
      "DescribeStateMachine",
      { stateMachineArn: created.body.stateMachineArn },
      { region: "eu-west-1" },
    );
    expect(inRegion.body).toMatchObject({ __type: "StateMachineDoesNotExist" });
  });

  it("names AWS's errors: InvalidArn, InvalidName, InvalidDefinition, ExecutionAlreadyExists", async () => {
    const key = await awsKey(unique("acct"));
    expect((await aws(key, "DescribeExecution", { executionArn: "nope" })).body).toMatchObject({
      __type: "InvalidArn",
    });
    expect(
      (await aws(key, "CreateStateMachine", { name: "bad name", definition: PASS, roleArn: ROLE })).body,
    ).toMatchObject({ __type: "InvalidName" });
    expect(
      (await aws(key, "CreateStateMachine", { name: "m", definition: "{}", roleArn: ROLE })).body,
    ).toMatchObject({ __type: "InvalidDefinition" });
    const created = await aws(key, "CreateStateMachine", { name: "m", definition: PASS, roleArn: ROLE });
    const arn = created.body.stateMachineArn;
    await aws(key, "StartExecution", { stateMachineArn: arn, name: "x", input: "{}" });
    expect(
      (await aws(key, "StartExecution", { stateMachineArn: arn, name: "x", input: '{"other":1}' })).body,
    ).toMatchObject({ __type: "ExecutionAlreadyExists" });
    expect(
      (await aws(key, "StartExecution", { stateMachineArn: arn, input: "not json" })).body,
    ).toMatchObject({ __type: "InvalidExecutionInput" });
    expect(
      (
        await aws(key, "CreateStateMachine", {
          name: "m",
          definition: PASS.replace("ok", "ko"),
          roleArn: ROLE,
        })
      ).body,
    ).toMatchObject({ __type: "StateMachineAlreadyExists" });
  });
});
