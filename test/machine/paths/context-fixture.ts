import type { ContextObject } from "../../../src/machine/paths/context.ts";

/** A context object as the interpreter would build it on entering state "Build". */
export const context: ContextObject = {
  Execution: {
    Id: "arn:edgestate:execution:orders:run-1",
    Name: "run-1",
    Input: { orderId: "o-1" },
    StartTime: "2026-01-02T03:04:05.000Z",
    RoleArn: "arn:edgestate:iam:::role/edgestate-execution",
    RedriveCount: 0,
  },
  StateMachine: { Id: "arn:edgestate:machine:orders", Name: "orders" },
  State: { Name: "Build", EnteredTime: "2026-01-02T03:04:06.000Z", RetryCount: 0 },
  Map: { Item: { Index: 2, Value: { sku: "x" } } },
  Task: { Token: "token-123" },
};
