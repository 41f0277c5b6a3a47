// A callback flow (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat) and a redrive after a
// failure, with @aws-sdk/client-sfn against wrangler dev.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { failure, type Key, newKey, ROLE, rest, sfn, unique } from "./support";

/** Puts the task token into an entity (the "receiver"), then waits for the callback. */
const APPROVAL = (entity: string) =>
  JSON.stringify({
    StartAt: "Ask",
    States: {
      Ask: {
        Type: "Task",
        Resource: "edgestate:entity:put.waitForTaskToken",
        Parameters: {
          Type: "approval",
          Id: entity,
          Body: { "token.$": "$$.Task.Token", "order.$": "$.order" },
        },
        HeartbeatSeconds: 600,
        ResultPath: "$.answer",
        End: true,
      },
    },
  });

async function tokenOf(key: Key, entity: string): Promise<string> {
  let token: string | undefined;
  await expect
    .poll(async () => {
      const res = await rest("GET", `/v1/entities/approval/${entity}`, undefined, key.key);
      if (res.status !== 200) return undefined;
      token = ((await res.json()) as { token: string }).token;
      return token;
    })
    .toBeTypeOf("string");
  return token!;
}

async function describeUntil(client: SFNClient, executionArn: string, status: string) {
  await expect
    .poll(async () => (await client.send(new DescribeExecutionCommand({ executionArn }))).status)
    .toBe(status);
  return client.send(new DescribeExecutionCommand({ executionArn }));
}

/** A new key's approval machine, started for `order`: its client, execution and task token. */
async function approval(order: number) {
  const key = await newKey(unique("sdk"));
  const client = sfn(key);
  const entity = unique("ask");
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({ name: "approve", definition: APPROVAL(entity), roleArn: ROLE }),
  );
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ order }) }),
  );
  return { client, executionArn: executionArn!, token: await tokenOf(key, entity) };
}

describe("callbacks through the AWS SDK", () => {
  it("SendTaskHeartbeat, then SendTaskSuccess completes the waiting task with its output", async () => {
    const { client, executionArn, token } = await approval(7);
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await describeUntil(client, executionArn, "SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ order: 7, answer: { approved: true } });
    // The task no longer waits: AWS's TaskTimedOut, with its words.
    const late = failure(client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })));
    expect(await late).toMatchObject({
      name: "TaskTimedOut",
      message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it("SendTaskFailure fails the task with the error and cause given", async () => {
    const { client, executionArn, token } = await approval(8);
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: "Rejected", cause: "too big" }));
    const done = await describeUntil(client, executionArn, "FAILED");
    expect(done).toMatchObject({ error: "Rejected", cause: "too big" });
  });

  it("refuses forged tokens, bad output and another tenant's token", async () => {
    const { client, token } = await approval(9);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: "forged", output: "{}" })),
    ).rejects.toBeInstanceOf(InvalidToken);
    expect(
      await failure(client.send(new SendTaskSuccessCommand({ taskToken: token, output: "not json" }))),
    ).toMatchObject({ name: "InvalidOutput" });
    const stranger = sfn(await newKey(unique("sdk")));
    await expect(
      stranger.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });
});

describe("redrive through the AWS SDK", () => {
  it("RedriveExecution goes on from the failed Task after its cause is fixed", async () => {
    const key = await newKey(unique("sdk"));
    const client = sfn(key);
    const order = unique("order");
    const definition = JSON.stringify({
      StartAt: "Load",
      States: {
        Load: {
          Type: "Task",
          Resource: "edgestate:entity:get",
          Parameters: { Type: "order", Id: order },
          ResultSelector: { "total.$": "$.Body.total" },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({ name: "load", definition, roleArn: ROLE }),
    );
    const failed = await client.send(new StartSyncExecutionCommand({ stateMachineArn, name: "first" }));
    expect(failed).toMatchObject({ status: "FAILED", error: "Edgestate.NotFound" });
    const executionArn = failed.executionArn!;
    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      redriveStatus: "REDRIVABLE",
      redriveCount: 0,
    });

    expect((await rest("PUT", `/v1/entities/order/${order}`, { total: 42 }, key.key)).status).toBe(201);
    const redriven = await client.send(new RedriveExecutionCommand({ executionArn }));
    expect(redriven.redriveDate).toBeInstanceOf(Date);
    const done = await describeUntil(client, executionArn, "SUCCEEDED");
    expect(done).toMatchObject({ output: '{"total":42}', redriveCount: 1, redriveStatus: "NOT_REDRIVABLE" });
    expect(done.redriveDate).toBeInstanceOf(Date);
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const redrivenEvent = history.events!.find((e) => e.type === "ExecutionRedriven");
    expect(redrivenEvent?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    await expect(client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(
      ExecutionNotRedrivable,
    );
  });
});
