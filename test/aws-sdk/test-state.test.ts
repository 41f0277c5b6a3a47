// TestState of each state type with @aws-sdk/client-sfn against wrangler dev (which AWS runs only in
// its cloud): a Task's real call (HTTP, shown at TRACE; an entity write) or a mock instead, Retry and
// Catch, Map and Parallel with mocks.
import { createServer, type Server } from "node:http";
import { TestStateCommand, type TestStateCommandInput } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { failure, newKey, rest, sfn, unique } from "./support";

let service: Server;
const calls: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  service = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      calls.push({ method: req.method!, url: req.url!, body });
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ received: JSON.parse(body || "null") }));
    });
  });
  await new Promise<void>((resolve) => service.listen(inject("servicePort"), "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => service.close(() => resolve())));

const json = (v: unknown) => JSON.stringify(v);

async function test(input: Omit<TestStateCommandInput, "definition"> & { definition: unknown }) {
  const client = sfn(await newKey(unique("sdk")));
  return client.send(new TestStateCommand({ ...input, definition: json(input.definition) }));
}

describe("TestState through the AWS SDK", () => {
  it("Pass: output, next state and the data flow at DEBUG", async () => {
    const r = await test({
      definition: {
        Type: "Pass",
        InputPath: "$.in",
        Parameters: { "v.$": "$.v" },
        ResultPath: "$.out",
        Next: "Then",
      },
      input: json({ in: { v: 3 } }),
      inspectionLevel: "DEBUG",
    });
    expect(r).toMatchObject({
      status: "SUCCEEDED",
      nextState: "Then",
      output: json({ in: { v: 3 }, out: { v: 3 } }),
    });
    expect(r.inspectionData).toMatchObject({
      input: json({ in: { v: 3 } }),
      afterInputPath: json({ v: 3 }),
      afterParameters: json({ v: 3 }),
    });
  });

  it("Choice, Wait, Succeed and Fail", async () => {
    const choice = await test({
      definition: {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericLessThan: 10, Next: "Small" }],
        Default: "Big",
      },
      input: json({ n: 22 }),
    });
    expect(choice).toMatchObject({ status: "SUCCEEDED", nextState: "Big" });
    const wait = await test({
      definition: { Type: "Wait", Seconds: 86_400, Next: "After" },
      input: json({}),
    });
    expect(wait).toMatchObject({ status: "SUCCEEDED", nextState: "After", output: "{}" });
    const succeed = await test({ definition: { Type: "Succeed" }, input: json([1]) });
    expect(succeed).toMatchObject({ status: "SUCCEEDED", output: "[1]" });
    expect(succeed.nextState).toBeUndefined();
    const fail = await test({ definition: { Type: "Fail", Error: "Oops", Cause: "on purpose" } });
    expect(fail).toMatchObject({ status: "FAILED", error: "Oops", cause: "on purpose" });
  });

  it("Task: an HTTP call made for real, request and response at TRACE", async () => {
    const r = await test({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Parameters: {
          ApiEndpoint: `http://127.0.0.1:${inject("servicePort")}/orders`,
          Method: "POST",
          "RequestBody.$": "$",
        },
        ResultSelector: { "echo.$": "$.ResponseBody.received" },
        End: true,
      },
      input: json({ id: 5 }),
      inspectionLevel: "TRACE",
    });
    expect(r).toMatchObject({ status: "SUCCEEDED", output: json({ echo: { id: 5 } }) });
    expect(calls.at(-1)).toMatchObject({ method: "POST", url: "/orders", body: json({ id: 5 }) });
    expect(r.inspectionData!.request).toMatchObject({
      method: "POST",
      url: `http://127.0.0.1:${inject("servicePort")}/orders`,
      body: json({ id: 5 }),
    });
    expect(r.inspectionData!.response).toMatchObject({
      statusCode: "200",
      body: json({ received: { id: 5 } }),
    });
  });

  it("Task: an entity write made for real, for the caller's tenant", async () => {
    const key = await newKey(unique("sdk"));
    const id = unique("ts");
    const r = await sfn(key).send(
      new TestStateCommand({
        definition: json({
          Type: "Task",
          Resource: "edgestate:entity:put",
          Parameters: { Type: "note", Id: id, "Body.$": "$" },
          End: true,
        }),
        input: json({ text: "hi" }),
      }),
    );
    expect(r.status).toBe("SUCCEEDED");
    expect(await (await rest("GET", `/v1/entities/note/${id}`, undefined, key.key)).json()).toEqual({
      text: "hi",
    });
  });

  it("Task with a mock: a result, an error its Retry reports RETRIABLE, and its Catch once retries are spent", async () => {
    const definition = {
      Type: "Task",
      Resource: "http:invoke",
      Retry: [{ ErrorEquals: ["Busy"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Handle" }],
      End: true,
    };
    const ok = await test({ definition, mock: { result: json({ fine: true }) } });
    expect(ok).toMatchObject({ status: "SUCCEEDED", output: json({ fine: true }) });
    const mock = { errorOutput: { error: "Busy", cause: "try later" } };
    const retriable = await test({
      definition,
      mock,
      stateConfiguration: { retrierRetryCount: 1 },
      inspectionLevel: "DEBUG",
    });
    expect(retriable).toMatchObject({
      status: "RETRIABLE",
      error: "Busy",
      inspectionData: { errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 4 } },
    });
    const caught = await test({
      definition,
      mock,
      input: json({ a: 1 }),
      stateConfiguration: { retrierRetryCount: 3 },
      inspectionLevel: "DEBUG",
    });
    expect(caught).toMatchObject({
      status: "CAUGHT_ERROR",
      nextState: "Handle",
      output: json({ a: 1, error: { Error: "Busy", Cause: "try later" } }),
      inspectionData: { errorDetails: { catchIndex: 0 } },
    });
  });

  it("Map and Parallel with a mock; without one they are refused as AWS refuses them", async () => {
    const map = {
      Type: "Map",
      ItemsPath: "$.items",
      ItemSelector: { "item.$": "$$.Map.Item.Value" },
      ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    };
    const m = await test({
      definition: map,
      input: json({ items: [1, 2] }),
      mock: { result: json(["a", "b"]) },
      inspectionLevel: "DEBUG",
    });
    expect(m).toMatchObject({ status: "SUCCEEDED", output: json(["a", "b"]) });
    expect(JSON.parse(m.inspectionData!.afterItemSelector!)).toEqual([{ item: 1 }, { item: 2 }]);
    const parallel = {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "B", States: { B: { Type: "Pass", End: true } } },
      ],
      Next: "Done",
    };
    const p = await test({ definition: parallel, mock: { result: json([1, 2]) } });
    expect(p).toMatchObject({ status: "SUCCEEDED", nextState: "Done", output: "[1,2]" });
    const client = sfn(await newKey(unique("sdk")));
    expect(await failure(client.send(new TestStateCommand({ definition: json(map) })))).toMatchObject({
      name: "InvalidDefinition",
      message: expect.stringContaining("does not support Map or Parallel"),
    });
    expect(
      await failure(
        client.send(new TestStateCommand({ definition: json(parallel), mock: { result: "[1]" } })),
      ),
    ).toMatchObject({
      name: "ValidationException",
      message: "Mocked result must contain the same number of items as number of Parallel branches.",
    });
  });
});
