// StartExecution, StartSyncExecution, StopExecution, RedriveExecution: the ExecutionObject methods
// and the definition cache POST /v1/machines/{m}/executions, …/stop and …/redrive use.
import { z } from "@hono/zod-openapi";
import { type AwsResult, awsFail, awsOk } from "../../../aws/errors";
import { epochSeconds, epochSecondsOfIso } from "../../../aws/timestamps";
import { parseJson } from "../../../core/json/parse-json";
import { EXECUTION_NAME } from "../../../core/names";
import { fail } from "../../../core/result";
import { idempotencyDigests } from "../../../crypto/idempotency-digests";
import type { ExecutionDescription } from "../../../executions/contract";
import { executionStub } from "../../../objects/names";
import { definitionAt } from "../../routes/machines/definition-cache";
import type { Action } from "../action";
import { type AwsCall, executionRef, machineRef } from "../call";
import { awsErrorOf } from "../failures";
import { arn, decode, includedData, jsonString } from "../members";
import { executionArnOf } from "../shapes";
import { syncOutput, waitForEnd } from "./sync";

const startSchema = {
  stateMachineArn: arn,
  name: z.string().min(1).max(80).optional(),
  input: jsonString(262_144).optional(),
  traceHeader: z.string().max(256).optional(),
};

/** StartSyncExecution's limit, as an Express workflow's: five minutes, then TIMED_OUT. */
export const SYNC_SECONDS = 300;

/**
 * What a start may answer with when the name is taken by an execution with the same input.
 * StartExecution (a STANDARD workflow's): that execution while it runs, as AWS's idempotent start;
 * once it has closed, ExecutionAlreadyExists. StartSyncExecution (an EXPRESS workflow's): never —
 * AWS runs every sync start anew, and the one object per name cannot, so answering with a run
 * this call did not start would be a success that ran nothing.
 */
type NameReuse = "while-running" | "never";

async function start(
  call: AwsCall,
  m: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string },
  reuse: NameReuse,
  maxSeconds?: number,
): Promise<AwsResult<{ description: ExecutionDescription; machine: string; name: string }>> {
  const ref = machineRef(call, m.stateMachineArn);
  if (!ref.ok) return ref;
  if (m.traceHeader !== undefined)
    return awsFail("ValidationException", "edgestate has no X-Ray tracing: traceHeader is not supported.");
  const name = m.name ?? crypto.randomUUID();
  if (!EXECUTION_NAME.test(name)) return awsFail("InvalidName", `Invalid Name: '${name}'`);
  const input = parseJson(m.input ?? "{}");
  if (!input.ok)
    return awsFail("InvalidExecutionInput", `Invalid State Machine Execution Input: '${input.message}'`);
  const { tenant } = call;
  const { machine, version } = ref.value;
  const definition = await definitionAt(call.env, tenant, machine, version);
  if (!definition.ok)
    return { ok: false, error: awsErrorOf(definition, { kind: "machine", arn: m.stateMachineArn }) };
  const reply = await executionStub(call.env, tenant, machine, name).start(
    { tenant, machine, execution: name },
    {
      requestId: call.requestId,
      machineVersion: definition.value.version,
      definition: definition.value.text,
      input: input.value,
      ...(maxSeconds === undefined ? {} : { maxSeconds }),
    },
  );
  const { outcome } = reply;
  const subject = { kind: "execution", arn: executionArnOf(call, machine, name) } as const;
  if (!outcome.ok) return { ok: false, error: awsErrorOf(outcome, subject) };
  const { created, description } = outcome.value;
  // The status is the object's, as of its decision on this start: no race with the execution's end.
  const reused = !created && (reuse === "never" || description.status !== "RUNNING");
  if (reused) {
    const taken = fail("conflict", `an execution named "${name}" already exists (${description.status})`);
    return { ok: false, error: awsErrorOf(taken, subject) };
  }
  return awsOk({ description, machine, name });
}

export const startExecutionAction: Action = {
  scope: "write",
  async run(call, input) {
    const decoded = decode(z.object(startSchema).strict(), input);
    if (!decoded.ok) return decoded;
    const started = await start(call, decoded.value, "while-running");
    if (!started.ok) return started;
    const { description, machine, name } = started.value;
    return awsOk({
      executionArn: executionArnOf(call, machine, name),
      startDate: epochSecondsOfIso(description.startedAt),
    });
  },
};

export const startSyncExecution: Action = {
  scope: "write",
  async run(call, input) {
    const decoded = decode(z.object({ ...startSchema, includedData }).strict(), input);
    if (!decoded.ok) return decoded;
    const started = await start(call, decoded.value, "never", SYNC_SECONDS);
    if (!started.ok) return started;
    const { machine, name } = started.value;
    const ended = await waitForEnd(
      call,
      machine,
      name,
      started.value.description,
      (SYNC_SECONDS + 10) * 1000,
    );
    if (!ended.ok) return ended;
    return awsOk(syncOutput(call, ended.value, decoded.value.includedData === "METADATA_ONLY"));
  },
};

export const stopExecutionAction: Action = {
  scope: "write",
  async run(call, input) {
    const schema = z.object({
      executionArn: arn,
      error: z.string().max(256).optional(),
      cause: z.string().max(32_768).optional(),
    });
    const decoded = decode(schema.strict(), input);
    if (!decoded.ok) return decoded;
    const ref = executionRef(call, decoded.value.executionArn);
    if (!ref.ok) return ref;
    const { machine, execution } = ref.value;
    const { error, cause } = decoded.value;
    const reply = await executionStub(call.env, call.tenant, machine, execution).stop(
      { tenant: call.tenant, machine, execution },
      {
        requestId: call.requestId,
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
      },
    );
    const { outcome } = reply;
    if (!outcome.ok)
      return {
        ok: false,
        error: awsErrorOf(outcome, { kind: "execution", arn: decoded.value.executionArn }),
      };
    const stoppedAt = outcome.value.stoppedAt;
    return awsOk({ stopDate: stoppedAt === null ? epochSeconds(call.now) : epochSecondsOfIso(stoppedAt) });
  },
};

export const redriveExecutionAction: Action = {
  scope: "write",
  async run(call, input) {
    const decoded = decode(
      z.object({ executionArn: arn, clientToken: z.string().min(1).max(64).optional() }).strict(),
      input,
    );
    if (!decoded.ok) return decoded;
    const { executionArn, clientToken } = decoded.value;
    const ref = executionRef(call, executionArn);
    if (!ref.ok) return ref;
    const { machine, execution } = ref.value;
    // The SDK sends a clientToken with every redrive: a retried call replays the first answer
    // (the object's idempotency ledger) instead of redriving twice.
    const idempotency =
      clientToken === undefined
        ? undefined
        : await idempotencyDigests(
            "client",
            clientToken,
            `AWSStepFunctions.RedriveExecution\n${executionArn}`,
          );
    const reply = await executionStub(call.env, call.tenant, machine, execution).redrive(
      { tenant: call.tenant, machine, execution },
      { requestId: call.requestId, ...(idempotency ? { idempotency } : {}) },
    );
    const { outcome } = reply;
    if (!outcome.ok) {
      if (outcome.code === "conflict") return awsFail("ExecutionNotRedrivable", outcome.detail);
      return { ok: false, error: awsErrorOf(outcome, { kind: "execution", arn: executionArn }) };
    }
    return awsOk({ redriveDate: epochSeconds(outcome.value.redrivenAt) });
  },
};
