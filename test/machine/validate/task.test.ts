import { describe, expect, it } from "vitest";
import { errorKeys, warningKeys, withState } from "./helpers.ts";

const task = (fields: Record<string, unknown>) =>
  withState({ Type: "Task", Resource: "http:invoke", ...fields, Next: "Done" });
const R = "/States/S/Resource";

describe("Task state", () => {
  it("requires Resource", () => {
    expect(errorKeys(withState({ Type: "Task", Next: "Done" }))).toEqual(["MISSING_FIELD /States/S"]);
  });

  it("requires Resource to be a URI", () => {
    expect(errorKeys(task({ Resource: 42 }))).toEqual([`INVALID_TYPE ${R}`]);
    expect(errorKeys(task({ Resource: "not a uri" }))).toEqual([`INVALID_RESOURCE ${R}`]);
    expect(errorKeys(task({ Resource: "edgestate:entity:get" }))).toEqual([]);
  });

  it("refuses a Lambda function ARN with an empty or malformed qualifier", () => {
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:fn";
    expect(errorKeys(task({ Resource: `${arn}:$LATEST` }))).toEqual([]);
    expect(errorKeys(task({ Resource: `${arn}:` }))).toEqual([`INVALID_RESOURCE ${R}`]);
    expect(errorKeys(task({ Resource: `${arn}:a#b` }))).toEqual([`INVALID_RESOURCE ${R}`]);
  });

  it("warns, without refusing, on CloudFormation references and DefinitionSubstitutions placeholders", () => {
    expect(errorKeys(task({ Resource: { Ref: "Fn" } }))).toEqual([]);
    expect(warningKeys(task({ Resource: { Ref: "Fn" } }))).toEqual([`RESOURCE_PLACEHOLDER ${R}`]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal DefinitionSubstitutions placeholder
    expect(warningKeys(task({ Resource: "${FnArn}" }))).toEqual([`RESOURCE_PLACEHOLDER ${R}`]);
    expect(errorKeys(task({ Resource: "${FnArn" }))).toEqual([`INVALID_RESOURCE ${R}`]);
  });

  it("warns, without refusing, when supportedResources says the engine cannot run the Resource", () => {
    const options = { supportedResources: (r: string) => r.startsWith("edgestate:") };
    const def = task({ Resource: "arn:aws:states:::sqs:sendMessage" });
    expect(errorKeys(def, options)).toEqual([]);
    expect(warningKeys(def, options)).toEqual([`UNSUPPORTED_RESOURCE ${R}`]);
    expect(warningKeys(task({ Resource: "edgestate:entity:put" }), options)).toEqual([]);
  });

  it("requires HeartbeatSeconds to be smaller than TimeoutSeconds", () => {
    expect(errorKeys(task({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }))).toEqual([]);
    expect(errorKeys(task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }))).toEqual([
      "HEARTBEAT_NOT_LESS_THAN_TIMEOUT /States/S/HeartbeatSeconds",
    ]);
  });

  it("refuses a seconds field together with its …Path variant", () => {
    expect(errorKeys(task({ TimeoutSeconds: 10, TimeoutSecondsPath: "$.t" }))).toEqual([
      "EXCLUSIVE_FIELDS /States/S/TimeoutSecondsPath",
    ]);
    expect(errorKeys(task({ HeartbeatSeconds: 1, HeartbeatSecondsPath: "$.h" }))).toEqual([
      "EXCLUSIVE_FIELDS /States/S/HeartbeatSecondsPath",
    ]);
  });

  it("requires TimeoutSeconds and HeartbeatSeconds to be positive integers", () => {
    expect(errorKeys(task({ TimeoutSeconds: 0 }))).toEqual(["INVALID_VALUE /States/S/TimeoutSeconds"]);
    expect(errorKeys(task({ HeartbeatSeconds: "5" }))).toEqual(["INVALID_TYPE /States/S/HeartbeatSeconds"]);
  });

  it("requires Credentials to be an object payload template", () => {
    expect(errorKeys(task({ Credentials: { "RoleArn.$": "$.role" } }))).toEqual([]);
    expect(errorKeys(task({ Credentials: null }))).toEqual(["INVALID_TYPE /States/S/Credentials"]);
  });
});
