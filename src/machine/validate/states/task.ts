import { checkExclusive, checkInteger, checkReferencePathField, requireField } from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";
import { isInteger } from "../json.ts";
import { checkObjectTemplate } from "../payload-template.ts";
import { checkResource } from "../resource.ts";

export function checkTask(check: StateCheck): void {
  const { ctx, state, pointer } = check;
  const diags = ctx.diags;
  if (requireField(diags, state, "Resource", pointer, "A Task state")) checkResource(check);
  checkExclusive(diags, state, pointer, ["TimeoutSeconds", "TimeoutSecondsPath"]);
  checkExclusive(diags, state, pointer, ["HeartbeatSeconds", "HeartbeatSecondsPath"]);
  checkInteger(diags, state, "TimeoutSeconds", pointer, 1);
  checkInteger(diags, state, "HeartbeatSeconds", pointer, 1);
  checkReferencePathField(diags, state, "TimeoutSecondsPath", pointer);
  checkReferencePathField(diags, state, "HeartbeatSecondsPath", pointer);
  checkObjectTemplate(diags, state, "Credentials", pointer);
  checkHeartbeatBelowTimeout(check);
}

/**
 * A heartbeat at or after the timeout could never fire; the spec requires it to be smaller. Both
 * query languages: literal numbers are the same fields in a JSONata Task (expressions are checked
 * when they are evaluated).
 */
export function checkHeartbeatBelowTimeout({ ctx, state, pointer }: StateCheck): void {
  const diags = ctx.diags;
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
  if (isInteger(timeout) && isInteger(heartbeat) && heartbeat >= timeout) {
    diags.error(
      "HEARTBEAT_NOT_LESS_THAN_TIMEOUT",
      at(pointer, "HeartbeatSeconds"),
      `HeartbeatSeconds (${heartbeat}) must be smaller than TimeoutSeconds (${timeout})`,
    );
  }
}
