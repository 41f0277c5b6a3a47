// DescribeExecution, DescribeStateMachineForExecution, ListExecutions: the ExecutionObject, the
// machine's object and the KV listing the REST routes read.
import { z } from "@hono/zod-openapi";
import { awsFail, awsOk } from "../../../aws/errors";
import { decodePageToken, encodePageToken } from "../../../aws/page-token";
import { epochSeconds } from "../../../aws/timestamps";
import { listExecutions } from "../../../cache/machine-index";
import type { JsonObject } from "../../../core/json/json-value";
import { DEFAULT_SETTINGS } from "../../../core/machines/contract";
import { executionStub, machineStub } from "../../../objects/names";
import { definitionAt } from "../../routes/machines/definition-cache";
import type { Action } from "../action";
import { type AwsCall, executionRef, machineRef } from "../call";
import { awsErrorOf } from "../failures";
import { arn, decode, includedData, maxResults, nextToken, pageSize } from "../members";
import { describeOutput, executionArnOf, machineArnOf, OBSERVABILITY_OFF, roleOf } from "../shapes";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;

/** The input both Describe actions take: an execution's ARN, and whether its data is included. */
function executionInput(call: AwsCall, input: JsonObject) {
  const decoded = decode(z.object({ executionArn: arn, includedData }).strict(), input);
  if (!decoded.ok) return decoded;
  const { executionArn, includedData: included } = decoded.value;
  const ref = executionRef(call, executionArn);
  if (!ref.ok) return ref;
  return awsOk({ executionArn, metadataOnly: included === "METADATA_ONLY", ...ref.value });
}

export const describeExecutionAction: Action = {
  scope: "read",
  async run(call, input) {
    const asked = executionInput(call, input);
    if (!asked.ok) return asked;
    const { executionArn, metadataOnly, machine, execution } = asked.value;
    const read = await executionStub(call.env, call.tenant, machine, execution).describe();
    if (!read.ok) return { ok: false, error: awsErrorOf(read, { kind: "execution", arn: executionArn }) };
    return awsOk(describeOutput(call, read.value, metadataOnly));
  },
};

export const describeStateMachineForExecution: Action = {
  scope: "read",
  async run(call, input) {
    const asked = executionInput(call, input);
    if (!asked.ok) return asked;
    const { executionArn, metadataOnly, machine, execution } = asked.value;
    // The execution's own copy: the version it runs, even if the machine changed or is gone since.
    const copy = await executionStub(call.env, call.tenant, machine, execution).diagram();
    if (!copy.ok) return { ok: false, error: awsErrorOf(copy, { kind: "execution", arn: executionArn }) };
    const { definition, machineVersion } = copy.value;
    const [version, current] = await Promise.all([
      definitionAt(call.env, call.tenant, machine, machineVersion),
      machineStub(call.env, call.tenant, machine).get({ tenant: call.tenant, machine }),
    ]);
    const settings = current.ok ? current.value.settings : DEFAULT_SETTINGS;
    return awsOk({
      stateMachineArn: machineArnOf(call, machine),
      name: machine,
      ...(metadataOnly ? {} : { definition }),
      roleArn: roleOf(settings),
      updateDate: epochSeconds(version.ok ? version.value.createdAt : call.now),
      revisionId: String(machineVersion),
      ...OBSERVABILITY_OFF,
    });
  },
};

export const listExecutionsAction: Action = {
  scope: "read",
  async run(call, input) {
    const schema = z.object({
      stateMachineArn: arn.optional(),
      statusFilter: z.enum(STATUSES).optional(),
      maxResults,
      nextToken,
      mapRunArn: arn.optional(),
      redriveFilter: z.enum(["REDRIVEN", "NOT_REDRIVEN"]).optional(),
    });
    const decoded = decode(schema.strict(), input);
    if (!decoded.ok) return decoded;
    const m = decoded.value;
    if (m.mapRunArn !== undefined)
      return awsFail(
        "ValidationException",
        "edgestate runs no Distributed Map Runs: mapRunArn is not supported.",
      );
    if (m.stateMachineArn === undefined)
      return awsFail(
        "ValidationException",
        "Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
      );
    const ref = machineRef(call, m.stateMachineArn);
    if (!ref.ok) return ref;
    const { machine, version } = ref.value;
    const exists = await definitionAt(call.env, call.tenant, machine, version);
    if (!exists.ok)
      return { ok: false, error: awsErrorOf(exists, { kind: "machine", arn: m.stateMachineArn }) };
    // edgestate never holds an execution PENDING_REDRIVE: a redrive starts it at once.
    if (m.statusFilter === "PENDING_REDRIVE") return awsOk({ executions: [] });
    const issuedFor = `ListExecutions:${m.stateMachineArn}:${m.statusFilter ?? ""}:${m.redriveFilter ?? ""}`;
    const cursor = m.nextToken === undefined ? undefined : decodePageToken(m.nextToken, issuedFor);
    if (cursor === null) return awsFail("InvalidToken", "Invalid Token: 'Invalid token'");
    const redriven = m.redriveFilter;
    const page = await listExecutions(call.env.CACHE, {
      tenant: call.tenant,
      machine,
      limit: pageSize(m.maxResults),
      ...(cursor ? { cursor } : {}),
      ...(m.statusFilter ? { status: m.statusFilter } : {}),
      where: (meta) =>
        (version === undefined || meta.v === version) &&
        (redriven === undefined || (redriven === "REDRIVEN") === (meta.r ?? 0) > 0),
    }).catch(() => null);
    if (!page) return awsFail("InvalidToken", "Invalid Token: 'Invalid token'");
    return awsOk({
      executions: page.items.map((x) => ({
        executionArn: executionArnOf(call, machine, x.name),
        stateMachineArn: machineArnOf(call, machine),
        name: x.name,
        status: x.s,
        startDate: epochSeconds(x.t),
        ...(x.e === null ? {} : { stopDate: epochSeconds(x.e) }),
        stateMachineVersionArn: machineArnOf(call, machine, x.v),
        redriveCount: x.r ?? 0,
        ...(x.d === undefined ? {} : { redriveDate: epochSeconds(x.d) }),
      })),
      ...(page.cursor ? { nextToken: encodePageToken({ for: issuedFor, cursor: page.cursor }) } : {}),
    });
  },
};
