// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: the same token check and the same
// ExecutionObject.callback as POST /v1/callbacks/*. A token this deployment did not issue is
// InvalidToken; a genuine one of another tenant is TaskDoesNotExist (nothing is said about other
// tenants); one whose task no longer waits is TaskTimedOut, with AWS's own words for it.
import { z } from "@hono/zod-openapi";
import { type AwsResult, awsFail, awsOk } from "../../../aws/errors";
import { parseJson } from "../../../core/json/parse-json";
import type { Callback } from "../../../executions/contract";
import { verifyTaskToken } from "../../../executions/task-token";
import { executionStub } from "../../../objects/names";
import type { Action } from "../action";
import type { AwsCall } from "../call";
import { awsErrorOf } from "../failures";
import { decode, jsonString } from "../members";

const taskToken = z.string().min(1).max(2048);

async function deliver(call: AwsCall, token: string, callback: Callback): Promise<AwsResult<object>> {
  const claims = await verifyTaskToken(call.env, token);
  if (!claims) return awsFail("InvalidToken", "Invalid Token: 'Invalid token'");
  if (claims.tenant !== call.tenant)
    return awsFail("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
  const { tenant, machine, execution, taskId } = claims;
  const reply = await executionStub(call.env, tenant, machine, execution).callback(
    { tenant, machine, execution },
    taskId,
    token,
    { requestId: call.requestId, callback },
  );
  const { outcome } = reply;
  return outcome.ok ? awsOk({}) : { ok: false, error: awsErrorOf(outcome, { kind: "task" }) };
}

export const sendTaskSuccess: Action = {
  scope: "write",
  async run(call, input) {
    const members = decode(z.object({ taskToken, output: jsonString(262_144) }).strict(), input);
    if (!members.ok) return members;
    const output = parseJson(members.value.output);
    if (!output.ok) return awsFail("InvalidOutput", `Invalid Output: '${output.message}'`);
    return deliver(call, members.value.taskToken, { kind: "success", output: output.value });
  },
};

export const sendTaskFailure: Action = {
  scope: "write",
  async run(call, input) {
    const schema = z.object({
      taskToken,
      error: z.string().max(256).optional(),
      cause: z.string().max(32_768).optional(),
    });
    const members = decode(schema.strict(), input);
    if (!members.ok) return members;
    const { error, cause } = members.value;
    return deliver(call, members.value.taskToken, {
      kind: "failure",
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
  },
};

export const sendTaskHeartbeat: Action = {
  scope: "write",
  async run(call, input) {
    const members = decode(z.object({ taskToken }).strict(), input);
    if (!members.ok) return members;
    return deliver(call, members.value.taskToken, { kind: "heartbeat" });
  },
};
