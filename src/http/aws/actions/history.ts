// GetExecutionHistory: the ExecutionObject's history pages (sealed event by event), each event in
// Step Functions' shape — its details back under their own member (executionStartedEventDetails,
// …), epoch-second timestamps — oldest or newest first, with or without the execution's data.
import { z } from "@hono/zod-openapi";
import { awsFail, awsOk } from "../../../aws/errors";
import { decodePageToken, encodePageToken } from "../../../aws/page-token";
import { epochSecondsOfIso } from "../../../aws/timestamps";
import type { JsonValue } from "../../../core/json/json-value";
import type { ApiHistoryEvent } from "../../../executions/contract";
import { DETAILS_MEMBER, type HistoryEventType } from "../../../machine/engine";
import { executionStub } from "../../../objects/names";
import type { Action } from "../action";
import { executionRef } from "../call";
import { awsErrorOf } from "../failures";
import { arn, decode, maxResults, nextToken, pageSize } from "../members";

/** What includeExecutionData: false leaves out: the payloads, and what says how big they were. */
const DATA = new Set([
  "input",
  "inputDetails",
  "output",
  "outputDetails",
  "parameters",
  "assignedVariables",
  "assignedVariablesDetails",
]);

function awsEvent(event: ApiHistoryEvent, includeData: boolean) {
  const member = DETAILS_MEMBER[event.type as HistoryEventType] ?? null;
  const details: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(event.details))
    if (includeData || !DATA.has(key)) details[key] = value;
  return {
    timestamp: epochSecondsOfIso(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
    ...(member === null ? {} : { [member]: details }),
  };
}

export const getExecutionHistory: Action = {
  scope: "read",
  async run(call, input) {
    const schema = z.object({
      executionArn: arn,
      maxResults,
      reverseOrder: z.boolean().optional(),
      nextToken,
      includeExecutionData: z.boolean().optional(),
    });
    const decoded = decode(schema.strict(), input);
    if (!decoded.ok) return decoded;
    const { executionArn, reverseOrder = false, includeExecutionData = true } = decoded.value;
    const ref = executionRef(call, executionArn);
    if (!ref.ok) return ref;
    const issuedFor = `GetExecutionHistory:${executionArn}:${reverseOrder ? "reverse" : "forward"}`;
    const token = decoded.value.nextToken;
    const cursor = token === undefined ? "0" : decodePageToken(token, issuedFor);
    if (cursor === null || !/^\d{1,15}$/.test(cursor))
      return awsFail("InvalidToken", "Invalid Token: 'Invalid token'");
    const page = await executionStub(call.env, call.tenant, ref.value.machine, ref.value.execution).history({
      limit: pageSize(decoded.value.maxResults),
      after: Number(cursor),
      reverse: reverseOrder,
    });
    if (!page.ok) return { ok: false, error: awsErrorOf(page, { kind: "execution", arn: executionArn }) };
    return awsOk({
      events: page.value.events.map((e) => awsEvent(e, includeExecutionData)),
      ...(page.value.cursor
        ? { nextToken: encodePageToken({ for: issuedFor, cursor: page.value.cursor }) }
        : {}),
    });
  },
};
