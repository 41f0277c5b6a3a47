// What every AWS action gets: who calls (a tenant key, verified by SigV4), for which tenant
// (the ARNs' account) and region (the one the request was signed for: the ARNs' region).

import type { Principal } from "../../auth/principal";
import { type ArnScope, parseArn, versionOf } from "../../aws/arn";
import { type AwsResult, awsFail, awsOk } from "../../aws/errors";

export interface AwsCall {
  env: Env;
  tenant: string;
  region: string;
  principal: Principal;
  requestId: string;
  /** Epoch ms of the request. */
  now: number;
}

export const scopeOf = (call: AwsCall): ArnScope => ({ region: call.region, account: call.tenant });

/** An ARN of another account or region names nothing here: "does not exist", never "forbidden". */
const ours = (call: AwsCall, scope: ArnScope | null) =>
  scope === null || (scope.account === call.tenant && scope.region === call.region);

export interface MachineRef {
  machine: string;
  /** A version ARN's number; undefined for the machine itself (its latest version). */
  version?: number;
}

export function machineRef(call: AwsCall, text: string): AwsResult<MachineRef> {
  const parsed = parseArn(text);
  if ("invalid" in parsed) return awsFail("InvalidArn", `Invalid Arn: '${text}'`);
  if (parsed.kind !== "stateMachine") {
    return awsFail("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'");
  }
  const missing = awsFail("StateMachineDoesNotExist", `State Machine Does Not Exist: '${text}'`);
  if (!ours(call, parsed.scope)) return missing;
  if (parsed.qualifier === undefined) return awsOk({ machine: parsed.machine });
  const version = versionOf(parsed.qualifier);
  // Aliases are not kept by edgestate: a qualifier that is not a version number names nothing.
  return version === undefined ? missing : awsOk({ machine: parsed.machine, version });
}

export interface ExecutionRef {
  machine: string;
  execution: string;
}

export function executionRef(call: AwsCall, text: string): AwsResult<ExecutionRef> {
  const parsed = parseArn(text);
  if ("invalid" in parsed) return awsFail("InvalidArn", `Invalid Arn: '${text}'`);
  if (parsed.kind !== "execution") {
    return awsFail("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'");
  }
  if (!ours(call, parsed.scope))
    return awsFail("ExecutionDoesNotExist", `Execution Does Not Exist: '${text}'`);
  return awsOk({ machine: parsed.machine, execution: parsed.execution });
}
