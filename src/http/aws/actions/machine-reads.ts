// DescribeStateMachine, ListStateMachines, ListStateMachineVersions: the MachineObject and the KV
// listing the REST routes read.
import { z } from "@hono/zod-openapi";
import { awsFail, awsOk } from "../../../aws/errors";
import { decodePageToken, encodePageToken } from "../../../aws/page-token";
import { epochSeconds } from "../../../aws/timestamps";
import { listMachines } from "../../../cache/machine-index";
import { machineStub } from "../../../objects/names";
import type { Action } from "../action";
import { machineRef } from "../call";
import { awsErrorOf } from "../failures";
import { arn, decode, includedData, maxResults, nextToken, pageSize } from "../members";
import { machineArnOf, OBSERVABILITY_OFF, roleOf } from "../shapes";

const invalidToken = () => awsFail("InvalidToken", "Invalid Token: 'Invalid token'");

export const describeStateMachine: Action = {
  scope: "read",
  async run(call, input) {
    const decoded = decode(z.object({ stateMachineArn: arn, includedData }).strict(), input);
    if (!decoded.ok) return decoded;
    const { stateMachineArn, includedData: included } = decoded.value;
    const ref = machineRef(call, stateMachineArn);
    if (!ref.ok) return ref;
    const { machine, version } = ref.value;
    const read = await machineStub(call.env, call.tenant, machine).get(
      { tenant: call.tenant, machine },
      version,
    );
    if (!read.ok) return { ok: false, error: awsErrorOf(read, { kind: "machine", arn: stateMachineArn }) };
    const v = read.value;
    return awsOk({
      // A version ARN describes that version, under its own ARN, as Step Functions does.
      stateMachineArn,
      name: machine,
      status: "ACTIVE",
      ...(included === "METADATA_ONLY" ? {} : { definition: v.definition }),
      roleArn: roleOf(v.settings),
      type: v.settings.type,
      creationDate: epochSeconds(version === undefined ? v.machineCreatedAt : v.createdAt),
      revisionId: String(v.version),
      ...OBSERVABILITY_OFF,
    });
  },
};

export const listStateMachines: Action = {
  scope: "read",
  async run(call, input) {
    const decoded = decode(z.object({ maxResults, nextToken }).strict(), input);
    if (!decoded.ok) return decoded;
    const issuedFor = "ListStateMachines";
    const token = decoded.value.nextToken;
    const cursor = token === undefined ? undefined : decodePageToken(token, issuedFor);
    if (cursor === null) return invalidToken();
    const page = await listMachines(call.env.CACHE, {
      tenant: call.tenant,
      limit: pageSize(decoded.value.maxResults),
      ...(cursor ? { cursor } : {}),
    }).catch(() => null);
    if (!page) return invalidToken();
    return awsOk({
      stateMachines: page.items.map((m) => ({
        stateMachineArn: machineArnOf(call, m.name),
        name: m.name,
        type: m.y ?? "STANDARD",
        creationDate: epochSeconds(m.c),
      })),
      ...(page.cursor ? { nextToken: encodePageToken({ for: issuedFor, cursor: page.cursor }) } : {}),
    });
  },
};

export const listStateMachineVersions: Action = {
  scope: "read",
  async run(call, input) {
    const decoded = decode(z.object({ stateMachineArn: arn, maxResults, nextToken }).strict(), input);
    if (!decoded.ok) return decoded;
    const { stateMachineArn } = decoded.value;
    const ref = machineRef(call, stateMachineArn);
    // Step Functions answers an unknown machine with an empty list.
    if (!ref.ok)
      return ref.error.name === "StateMachineDoesNotExist" ? awsOk({ stateMachineVersions: [] }) : ref;
    if (ref.value.version !== undefined)
      return awsFail(
        "ValidationException",
        "List the versions of a state machine ARN, not of a version ARN.",
      );
    const issuedFor = `ListStateMachineVersions:${stateMachineArn}`;
    const token = decoded.value.nextToken;
    const cursor = token === undefined ? undefined : decodePageToken(token, issuedFor);
    if (cursor === null) return invalidToken();
    const { machine } = ref.value;
    const page = await machineStub(call.env, call.tenant, machine).versionPage({
      limit: pageSize(decoded.value.maxResults),
      ...(cursor === undefined ? {} : { before: Number(cursor) }),
    });
    if (!page.ok)
      return page.code === "not_found"
        ? awsOk({ stateMachineVersions: [] })
        : { ok: false, error: awsErrorOf(page, { kind: "machine", arn: stateMachineArn }) };
    const { versions, more } = page.value;
    const last = versions[versions.length - 1];
    return awsOk({
      stateMachineVersions: versions.map((v) => ({
        stateMachineVersionArn: machineArnOf(call, machine, v.version),
        creationDate: epochSeconds(v.createdAt),
      })),
      ...(more && last
        ? { nextToken: encodePageToken({ for: issuedFor, cursor: String(last.version) }) }
        : {}),
    });
  },
};
