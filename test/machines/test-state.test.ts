// POST /v1/states/test through the Worker: each state type, a Task's real call (HTTP and entity)
// or a mock instead, the inspection levels, the scopes, and the refusals.
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, issueKey, json, unique } from "../support/api";
import { mockFetch } from "./support";

afterEach(() => {
  vi.restoreAllMocks();
});

interface Tested {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, unknown>;
}

async function test(body: object, key?: string) {
  const res = await api("POST", "/v1/states/test", { body, ...(key ? { key } : {}) });
  return { status: res.status, body: await json<Tested & { detail?: string; errors?: unknown[] }>(res) };
}

describe("POST /v1/states/test", () => {
  it("runs a Pass state and shows each stage at DEBUG", async () => {
    const { status, body } = await test({
      definition: { Type: "Pass", Parameters: { "v.$": "$.a" }, ResultPath: "$.r", Next: "Then" },
      input: { a: 1 },
      inspectionLevel: "DEBUG",
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "SUCCEEDED",
      output: { a: 1, r: { v: 1 } },
      nextState: "Then",
      inspectionData: {
        input: { a: 1 },
        afterInputPath: { a: 1 },
        afterParameters: { v: 1 },
        afterResultSelector: { v: 1 },
        afterResultPath: { a: 1, r: { v: 1 } },
      },
    });
  });

  it("shows no inspection data at INFO (the default)", async () => {
    const { body } = await test({ definition: { Type: "Succeed" }, input: [1] });
    expect(body).toEqual({ status: "SUCCEEDED", output: [1] });
  });

  it("tests one state of a whole machine by stateName", async () => {
    const { body } = await test({
      definition: {
        StartAt: "A",
        States: {
          A: { Type: "Pass", Next: "Pick" },
          Pick: {
            Type: "Choice",
            Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "One" }],
            Default: "A",
          },
          One: { Type: "Succeed" },
        },
      },
      stateName: "Pick",
      input: { n: 1 },
    });
    expect(body).toMatchObject({ status: "SUCCEEDED", nextState: "One" });
  });

  it("makes an http:invoke Task's real call, and shows it at TRACE", async () => {
    const calls = mockFetch(() => Response.json({ id: 7 }, { status: 200, statusText: "OK" }));
    const { body } = await test({
      definition: {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Parameters: { ApiEndpoint: "https://api.example.com/orders", Method: "POST", RequestBody: { a: 1 } },
        ResultSelector: { "id.$": "$.ResponseBody.id" },
        End: true,
      },
      inspectionLevel: "TRACE",
    });
    expect(calls).toHaveLength(1);
    expect(body.status).toBe("SUCCEEDED");
    expect(body.output).toEqual({ id: 7 });
    expect(body.inspectionData).toMatchObject({
      request: { protocol: "https", method: "POST", url: "https://api.example.com/orders", body: '{"a":1}' },
      response: { protocol: "https", statusCode: "200", statusMessage: "OK", body: '{"id":7}' },
    });
  });

  it("makes an entity Task's real call for the caller's tenant", async () => {
    const id = unique("ts");
    const { body } = await test({
      definition: {
        Type: "Task",
        Resource: "edgestate:entity:put",
        Parameters: { Type: "order", Id: id, "Body.$": "$" },
        End: true,
      },
      input: { total: 3 },
    });
    expect(body).toMatchObject({ status: "SUCCEEDED", output: { Type: "order", Id: id, Version: 1 } });
    const stored = await api("GET", `/v1/entities/order/${id}`);
    expect(await stored.json()).toEqual({ total: 3 });
  });

  it("takes a mock instead of the call: a result, or an error its Retry and Catch see", async () => {
    const calls = mockFetch(() => new Response("never"));
    const definition = {
      Type: "Task",
      Resource: "http:invoke",
      Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 3, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handle" }],
      End: true,
    };
    const result = await test({ definition, mock: { result: { ok: true } } });
    expect(result.body).toEqual({ status: "SUCCEEDED", output: { ok: true } });
    const retriable = await test({
      definition,
      mock: { errorOutput: { error: "Flaky", cause: "try again" } },
      stateConfiguration: { retrierRetryCount: 1 },
      inspectionLevel: "DEBUG",
    });
    expect(retriable.body).toMatchObject({
      status: "RETRIABLE",
      error: "Flaky",
      inspectionData: { errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 6 } },
    });
    const caught = await test({
      definition,
      mock: { errorOutput: { error: "Flaky", cause: "no more" } },
      stateConfiguration: { retrierRetryCount: 2 },
    });
    expect(caught.body).toMatchObject({
      status: "CAUGHT_ERROR",
      nextState: "Handle",
      output: { Error: "Flaky", Cause: "no more" },
    });
    expect(calls).toHaveLength(0);
  });

  it("needs write for a real call, read for a mocked one", async () => {
    const reader = await issueKey(unique("ro"), ["read"]);
    const definition = {
      Type: "Task",
      Resource: "edgestate:entity:get",
      Parameters: { Type: "t", Id: "x" },
      End: true,
    };
    expect((await test({ definition }, reader)).status).toBe(403);
    expect((await test({ definition, mock: { result: {} } }, reader)).status).toBe(200);
    expect((await test({ definition: { Type: "Pass", End: true } }, reader)).status).toBe(200);
  });

  it("refuses what Step Functions refuses, with a pointer for each definition error", async () => {
    const invalid = await test({ definition: { Type: "Pass", Next: 3 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ pointer: "/Next" })]);
    const map = await test({
      definition: {
        Type: "Map",
        ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        End: true,
      },
    });
    expect(map).toMatchObject({
      status: 400,
      body: { detail: expect.stringMatching(/does not support Map or Parallel/) },
    });
    const both = await test({
      definition: { Type: "Task", Resource: "http:invoke", End: true },
      mock: { result: 1, errorOutput: { error: "E" } },
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.errors)).toContain("only one of the following fields");
    const passMock = await test({ definition: { Type: "Pass", End: true }, mock: { result: 1 } });
    expect(passMock.body.detail).toBe("State type 'Pass' is not supported when a mock is specified");
  });
});
