import { describe, expect, it } from "vitest";
import { executionArn, parseArn, stateMachineArn, versionOf } from "../../src/aws/arn";
import { decodePageToken, encodePageToken } from "../../src/aws/page-token";

const scope = { region: "eu-west-1", account: "acme" };

describe("ARNs", () => {
  it("round-trip: what a client sends back is what it got", () => {
    for (const arn of [
      stateMachineArn(scope, "orders"),
      stateMachineArn(scope, "orders", 12),
      executionArn(scope, "orders", "run-1"),
    ]) {
      const parsed = parseArn(arn);
      expect("invalid" in parsed).toBe(false);
      if ("invalid" in parsed) continue;
      const again =
        parsed.kind === "execution"
          ? executionArn(parsed.scope!, parsed.machine, parsed.execution)
          : stateMachineArn(parsed.scope!, parsed.machine, versionOf(parsed.qualifier));
      expect(again).toBe(arn);
    }
  });

  it("read the machine, qualifier and execution", () => {
    expect(parseArn("arn:aws:states:us-east-1:123456789012:stateMachine:m:7")).toEqual({
      kind: "stateMachine",
      scope: { region: "us-east-1", account: "123456789012" },
      machine: "m",
      qualifier: "7",
    });
    expect(versionOf("7")).toBe(7);
    expect(versionOf("prod")).toBeUndefined();
    expect(versionOf("07")).toBeUndefined();
  });

  it("take the ids an execution sees in its context object as the caller's own", () => {
    expect(parseArn("arn:edgestate:states:::execution:m:e")).toEqual({
      kind: "execution",
      scope: null,
      machine: "m",
      execution: "e",
    });
    expect(parseArn("arn:edgestate:states:::stateMachine:m:3")).toMatchObject({
      qualifier: "3",
      scope: null,
    });
  });

  it("refuse what is not a Step Functions ARN of a machine or execution", () => {
    for (const bad of [
      "",
      "orders",
      "arn:aws:lambda:us-east-1:1:function:f",
      "arn:aws:states:us-east-1::stateMachine:m",
      "arn:aws:states:us-east-1:1:activity:a",
      "arn:aws:states:us-east-1:1:stateMachine:bad name",
      "arn:aws:states:us-east-1:1:stateMachine:m:",
      "arn:aws:states:us-east-1:1:execution:m",
      "arn:aws:states:us-east-1:1:execution:m:e:x",
      "arn:aws:states:us-east-1:1:express:m:e:id",
    ]) {
      expect(parseArn(bad), bad).toHaveProperty("invalid");
    }
  });
});

describe("page tokens", () => {
  it("give their cursor back only to the listing they were issued for", () => {
    const token = encodePageToken({ for: "history:arn:x:forward", cursor: "42" });
    expect(decodePageToken(token, "history:arn:x:forward")).toBe("42");
    expect(decodePageToken(token, "history:arn:x:reverse")).toBeNull();
    expect(decodePageToken(`${token}x`, "history:arn:x:forward")).toBeNull();
    expect(decodePageToken("not a token", "history:arn:x:forward")).toBeNull();
  });
});
