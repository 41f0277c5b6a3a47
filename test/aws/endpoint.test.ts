// /aws/states through the Worker with hand-signed requests: the protocol (target, trailing slash,
// error shape), Signature Version 4 (tampered body, wrong secret, old date, revoked or unknown key)
// and scopes. The real SDK against wrangler dev is in test/aws-sdk.
import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { aws, awsKey } from "./support";

const DEFINITION = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });

describe("the AWS JSON 1.0 endpoint", () => {
  it("answers at /aws/states and /aws/states/, in AWS's shape and headers", async () => {
    const key = await awsKey(unique("aws"));
    for (const path of ["/aws/states", "/aws/states/"]) {
      const res = await aws(key, "ValidateStateMachineDefinition", { definition: DEFINITION }, { path });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: "OK", diagnostics: [], truncated: false });
      expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.0");
      expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
      expect(res.headers.get("date")).toBeTruthy();
    }
  });

  it("names an unknown action UnknownOperationException", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(key, "CreateActivity", { name: "a" });
    expect(res).toMatchObject({ status: 400, body: { __type: "UnknownOperationException" } });
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });

  it("refuses unknown members and a malformed body in AWS's words", async () => {
    const key = await awsKey(unique("aws"));
    const extra = await aws(key, "ValidateStateMachineDefinition", { definition: DEFINITION, colour: "red" });
    expect(extra.body).toMatchObject({
      __type: "ValidationException",
      message: expect.stringContaining("'colour'"),
    });
    const missing = await aws(key, "ValidateStateMachineDefinition", {});
    expect(missing.body).toMatchObject({
      __type: "ValidationException",
      message: expect.stringContaining("Value null at 'definition'"),
    });
  });
});

describe("Signature Version 4", () => {
  it("refuses a tampered body", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(
      key,
      "ValidateStateMachineDefinition",
      { definition: DEFINITION },
      { tamper: JSON.stringify({ definition: "{}" }) },
    );
    expect(res).toMatchObject({ status: 400, body: { __type: "InvalidSignatureException" } });
  });

  it("refuses the wrong secret", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(
      key,
      "ValidateStateMachineDefinition",
      { definition: DEFINITION },
      { secret: "x".repeat(40) },
    );
    expect(res).toMatchObject({ status: 400, body: { __type: "InvalidSignatureException" } });
  });

  it("refuses a signature 16 minutes old, with AWS's message", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(
      key,
      "ValidateStateMachineDefinition",
      { definition: DEFINITION },
      { at: new Date(Date.now() - 16 * 60_000) },
    );
    expect(res).toMatchObject({
      status: 400,
      body: { __type: "InvalidSignatureException", message: expect.stringMatching(/^Signature expired: /) },
    });
  });

  it("refuses a revoked key and an unknown one as UnrecognizedClientException", async () => {
    const key = await awsKey(unique("aws"));
    expect((await aws(key, "ValidateStateMachineDefinition", { definition: DEFINITION })).status).toBe(200);
    expect((await api("DELETE", `/v1/keys/${key.id}`)).status).toBe(204);
    const revoked = await aws(key, "ValidateStateMachineDefinition", { definition: DEFINITION });
    expect(revoked).toMatchObject({ status: 400, body: { __type: "UnrecognizedClientException" } });
    const unknown = await aws(
      { ...key, awsAccessKeyId: "0123456789abcdef01234567" },
      "ValidateStateMachineDefinition",
      { definition: DEFINITION },
    );
    expect(unknown.body).toMatchObject({ __type: "UnrecognizedClientException" });
  });

  it("asks for a signature when there is none", async () => {
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("https://edgestate.test/aws/states/", {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "AWSStepFunctions.ListStateMachines",
      },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
  });

  it("holds scopes as the REST API does: a read key may not write", async () => {
    const reader = await awsKey(unique("aws"), ["read"]);
    const res = await aws(reader, "SendTaskHeartbeat", { taskToken: "x" });
    expect(res).toMatchObject({ status: 400, body: { __type: "AccessDeniedException" } });
    expect((await aws(reader, "ValidateStateMachineDefinition", { definition: DEFINITION })).status).toBe(
      200,
    );
  });
});

describe("actions that need no stored state", () => {
  it("ValidateStateMachineDefinition reports diagnostics with their location", async () => {
    const key = await awsKey(unique("aws"));
    const bad = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } });
    const res = await aws(key, "ValidateStateMachineDefinition", { definition: bad });
    expect(res.body).toMatchObject({
      result: "FAIL",
      diagnostics: [expect.objectContaining({ severity: "ERROR", location: "/States/A/Next" })],
    });
  });

  it("TestState answers JSON text and inspection data as AWS does", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(key, "TestState", {
      definition: JSON.stringify({ Type: "Pass", Parameters: { "v.$": "$.a" }, Next: "B" }),
      input: JSON.stringify({ a: 1 }),
      inspectionLevel: "DEBUG",
    });
    expect(res.body).toEqual({
      status: "SUCCEEDED",
      output: '{"v":1}',
      nextState: "B",
      inspectionData: {
        input: '{"a":1}',
        afterInputPath: '{"a":1}',
        afterParameters: '{"v":1}',
        afterResultSelector: '{"v":1}',
        afterResultPath: '{"v":1}',
      },
    });
  });

  it("SendTaskSuccess refuses a token this deployment did not issue", async () => {
    const key = await awsKey(unique("aws"));
    const res = await aws(key, "SendTaskSuccess", { taskToken: "forged", output: "{}" });
    expect(res.body).toMatchObject({ __type: "InvalidToken" });
  });
});
