// edgestate's shapes as Step Functions' outputs: ARNs in the caller's region and account, epoch
// seconds, payloads as JSON text.
import { executionArn, stateMachineArn } from "../../aws/arn";
import { epochSeconds, epochSecondsOfIso } from "../../aws/timestamps";
import type { MachineSettings } from "../../core/machines/contract";
import type { ExecutionDescription } from "../../executions/contract";
import { EXECUTION_ROLE_ARN } from "../../machine/runtime";
import { type AwsCall, scopeOf } from "./call";

export const machineArnOf = (call: AwsCall, machine: string, version?: number) =>
  stateMachineArn(scopeOf(call), machine, version);

export const executionArnOf = (call: AwsCall, machine: string, execution: string) =>
  executionArn(scopeOf(call), machine, execution);

/** A machine made through the REST API was given no role: it shows the one its executions report. */
export const roleOf = (settings: MachineSettings) => settings.roleArn ?? EXECUTION_ROLE_ARN;

/** edgestate sends no logs to CloudWatch and no traces to X-Ray: what AWS shows for both turned off. */
export const OBSERVABILITY_OFF = {
  loggingConfiguration: { level: "OFF", includeExecutionData: false },
  tracingConfiguration: { enabled: false },
} as const;

export const dataIncluded = (included: boolean) => ({ included });

/** DescribeExecution's output (metadataOnly: no input or output, as includedData METADATA_ONLY). */
export function describeOutput(call: AwsCall, d: ExecutionDescription, metadataOnly: boolean) {
  return {
    executionArn: executionArnOf(call, d.machine, d.name),
    stateMachineArn: machineArnOf(call, d.machine),
    name: d.name,
    status: d.status,
    startDate: epochSecondsOfIso(d.startedAt),
    ...(d.stoppedAt === null ? {} : { stopDate: epochSecondsOfIso(d.stoppedAt) }),
    ...(metadataOnly
      ? {}
      : {
          input: JSON.stringify(d.input),
          inputDetails: dataIncluded(true),
          ...(d.output === null
            ? {}
            : { output: JSON.stringify(d.output), outputDetails: dataIncluded(true) }),
        }),
    ...(d.error === null ? {} : { error: d.error }),
    ...(d.cause === null ? {} : { cause: d.cause }),
    stateMachineVersionArn: machineArnOf(call, d.machine, d.machineVersion),
    redriveCount: d.redriveCount,
    ...(d.redrivenAt === null ? {} : { redriveDate: epochSecondsOfIso(d.redrivenAt) }),
    redriveStatus: d.redriveStatus,
    ...(d.redriveStatusReason === null ? {} : { redriveStatusReason: d.redriveStatusReason }),
  };
}

export { epochSeconds, epochSecondsOfIso };
