// StartSyncExecution's wait and reply. The execution is a durable one like any other (its history
// and DescribeExecution work afterwards); it was started with a five-minute limit, so it ends
// TIMED_OUT by itself at the latest then, and this request holds only until it ends.
import { type AwsResult, awsOk } from "../../../aws/errors";
import { epochSecondsOfIso } from "../../../aws/timestamps";
import type { ExecutionDescription } from "../../../executions/contract";
import { executionStub } from "../../../objects/names";
import type { AwsCall } from "../call";
import { awsErrorOf } from "../failures";
import { dataIncluded, executionArnOf, machineArnOf } from "../shapes";

/** Express bills memory in 64 MB steps, from the size of the definition and the data. */
const MEMORY_STEP_MB = 64;
const BILLING_STEP_MS = 100;

export async function waitForEnd(
  call: AwsCall,
  machine: string,
  name: string,
  first: ExecutionDescription,
  budgetMs: number,
): Promise<AwsResult<ExecutionDescription>> {
  if (first.status !== "RUNNING") return awsOk(first);
  const stub = executionStub(call.env, call.tenant, machine, name);
  const deadline = call.now + budgetMs;
  for (;;) {
    // An object restarted mid-wait drops its waiters: ask again (it answers at once if it ended).
    const ended = await stub.awaitEnd(Math.max(1, deadline - Date.now())).catch(() => null);
    if (ended) return awsOk(ended);
    const now = await stub.describe();
    if (!now.ok)
      return {
        ok: false,
        error: awsErrorOf(now, { kind: "execution", arn: executionArnOf(call, machine, name) }),
      };
    if (now.value.status !== "RUNNING" || Date.now() >= deadline) return awsOk(now.value);
  }
}

/** ABORTED (someone stopped it) has no sync status of its own in AWS's API: it is reported FAILED. */
const syncStatus = (status: ExecutionDescription["status"]) =>
  status === "SUCCEEDED" || status === "TIMED_OUT" ? status : "FAILED";

export function syncOutput(call: AwsCall, d: ExecutionDescription, metadataOnly: boolean) {
  const started = epochSecondsOfIso(d.startedAt);
  const stopped = d.stoppedAt === null ? call.now / 1000 : epochSecondsOfIso(d.stoppedAt);
  const durationMs = Math.max(0, Math.round((stopped - started) * 1000));
  const input = JSON.stringify(d.input);
  const output = d.output === null ? undefined : JSON.stringify(d.output);
  const bytes = input.length + (output?.length ?? 0);
  return {
    executionArn: executionArnOf(call, d.machine, d.name),
    stateMachineArn: machineArnOf(call, d.machine),
    name: d.name,
    startDate: started,
    stopDate: stopped,
    status: syncStatus(d.status),
    ...(d.error === null ? {} : { error: d.error }),
    ...(d.cause === null ? {} : { cause: d.cause }),
    ...(metadataOnly
      ? {}
      : {
          input,
          inputDetails: dataIncluded(true),
          ...(output === undefined ? {} : { output, outputDetails: dataIncluded(true) }),
        }),
    billingDetails: {
      billedMemoryUsedInMB: MEMORY_STEP_MB * Math.max(1, Math.ceil(bytes / (MEMORY_STEP_MB * 1_048_576))),
      billedDurationInMilliseconds: Math.max(
        BILLING_STEP_MS,
        Math.ceil(durationMs / BILLING_STEP_MS) * BILLING_STEP_MS,
      ),
    },
  };
}
