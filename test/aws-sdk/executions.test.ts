// Execution actions with @aws-sdk/client-sfn against wrangler dev.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { failure, newKey, REGION, ROLE, sfn, unique } from "./support";

const HELLO = JSON.stringify({
  StartAt: "Greet",
  States: {
    Greet: {
      Type: "Pass",
      Parameters: { "greeting.$": "States.Format('Hello, {}!', $.name)" },
      Next: "Both",
    },
    Both: {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "B", States: { B: { Type: "Pass", End: true } } },
      ],
      End: true,
    },
  },
});
const WAITS = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });

async function machine(definition: string, name = "m") {
  const key = await newKey(unique("sdk"));
  const client = sfn(key);
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({ name, definition, roleArn: ROLE }),
  );
  return { key, client, arn: stateMachineArn! };
}

describe("executions through the AWS SDK", () => {
  it("StartSyncExecution holds the reply until the end: status, output, billing", async () => {
    const { client, arn, key } = await machine(HELLO);
    const ended = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, name: "sync-1", input: '{"name":"Ada"}' }),
    );
    expect(ended).toMatchObject({
      executionArn: `arn:aws:states:${REGION}:${key.tenant}:execution:m:sync-1`,
      stateMachineArn: arn,
      status: "SUCCEEDED",
      input: '{"name":"Ada"}',
      inputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64 },
    });
    expect(JSON.parse(ended.output!)).toEqual([{ greeting: "Hello, Ada!" }, { greeting: "Hello, Ada!" }]);
    expect(ended.startDate).toBeInstanceOf(Date);
    expect(ended.stopDate!.getTime()).toBeGreaterThanOrEqual(ended.startDate!.getTime());
    expect(ended.billingDetails!.billedDurationInMilliseconds! % 100).toBe(0);
    const failed = await machine(
      JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "Nope", Cause: "why" } } }),
    );
    const f = await failed.client.send(new StartSyncExecutionCommand({ stateMachineArn: failed.arn }));
    expect(f).toMatchObject({ status: "FAILED", error: "Nope", cause: "why" });
  });

  it("StartExecution, DescribeExecution, DescribeStateMachineForExecution, StopExecution", async () => {
    const { client, arn } = await machine(WAITS);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "long", input: '{"n":1}' }),
    );
    expect(started.startDate).toBeInstanceOf(Date);
    // The same name and input again is the same execution; another input is refused.
    const same = await client.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: "long", input: '{"n":1}' }),
    );
    expect(same.executionArn).toBe(started.executionArn);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: arn, name: "long", input: '{"n":2}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const running = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({
      status: "RUNNING",
      input: '{"n":1}',
      stateMachineArn: arn,
      stateMachineVersionArn: `${arn}:1`,
      redriveCount: 0,
    });
    const metadata = await client.send(
      new DescribeExecutionCommand({ executionArn: started.executionArn, includedData: "METADATA_ONLY" }),
    );
    expect(metadata.input).toBeUndefined();
    const copy = await client.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }),
    );
    expect(copy).toMatchObject({ stateMachineArn: arn, name: "m", roleArn: ROLE, revisionId: "1" });
    expect(JSON.parse(copy.definition!)).toEqual(JSON.parse(WAITS));

    const stopped = await client.send(
      new StopExecutionCommand({ executionArn: started.executionArn, error: "Manual", cause: "test" }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const aborted = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(aborted).toMatchObject({
      status: "ABORTED",
      error: "Manual",
      cause: "test",
      redriveStatus: "REDRIVABLE",
    });
    await expect(
      client.send(
        new DescribeExecutionCommand({ executionArn: started.executionArn!.replace(":long", ":nope") }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it("ListExecutions pages newest first and filters by status", async () => {
    const { client, arn } = await machine(WAITS);
    for (const name of ["e1", "e2", "e3"])
      await client.send(new StartExecutionCommand({ stateMachineArn: arn, name }));
    await client.send(
      new StopExecutionCommand({ executionArn: `${arn.replace(":stateMachine:", ":execution:")}:e2` }),
    );
    await expect
      .poll(async () => {
        const names: string[] = [];
        for await (const page of paginateListExecutions({ client, pageSize: 2 }, { stateMachineArn: arn })) {
          expect(page.executions!.length).toBeLessThanOrEqual(2);
          names.push(...page.executions!.map((e) => e.name!));
        }
        return names;
      })
      .toEqual(["e3", "e2", "e1"]);
    await expect
      .poll(async () =>
        (
          await client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "ABORTED" }))
        ).executions!.map((e) => e.name),
      )
      .toEqual(["e2"]);
  });

  it("GetExecutionHistory: pages, reverseOrder, includeExecutionData", async () => {
    const { client, arn } = await machine(HELLO);
    const { executionArn } = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, input: '{"name":"Bo"}' }),
    );
    const all: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory({ client, pageSize: 3 }, { executionArn })) {
      expect(page.events!.length).toBeLessThanOrEqual(3);
      all.push(...page.events!);
    }
    expect(all.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateEntered",
      "ParallelStateStarted",
      "PassStateEntered",
      "PassStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ParallelStateSucceeded",
      "ParallelStateExited",
      "ExecutionSucceeded",
    ]);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]!.timestamp).toBeInstanceOf(Date);
    expect(all[0]!.executionStartedEventDetails).toMatchObject({
      input: '{"name":"Bo"}',
      roleArn: expect.any(String),
    });
    const newest = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(newest.events!.map((e) => e.id)).toEqual([12, 11]);
    const older = await client.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 2,
        nextToken: newest.nextToken,
      }),
    );
    expect(older.events!.map((e) => e.id)).toEqual([10, 9]);
    // A token is only good for the listing it came from.
    expect(
      await failure(
        client.send(new GetExecutionHistoryCommand({ executionArn, nextToken: newest.nextToken })),
      ),
    ).toMatchObject({
      name: "InvalidToken",
    });
    const bare = await client.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(bare.events![0]!.executionStartedEventDetails!.input).toBeUndefined();
    expect(bare.events![2]!.stateExitedEventDetails).toEqual({ name: "Greet" });
  });
});
