// Fields shared by several state types. Each check runs only when the type allows the field,
// so a field that is not allowed gets one UNKNOWN_FIELD diagnostic rather than several.

import { checkEnum, checkPathField, checkReferencePathField, checkString } from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";
import { has } from "../json.ts";
import { checkObjectTemplate, checkPayloadTemplate } from "../payload-template.ts";
import { checkCatch, checkRetry } from "../retry-catch.ts";

export function checkCommonFields(check: StateCheck): void {
  const { ctx, state, pointer, allowed } = check;
  const diags = ctx.diags;
  checkString(diags, state, "Comment", pointer);
  checkEnum(diags, state, "QueryLanguage", pointer, ["JSONPath", "JSONata"]);
  if (allowed.has("InputPath")) checkPathField(diags, state, "InputPath", pointer, true);
  if (allowed.has("OutputPath")) checkPathField(diags, state, "OutputPath", pointer, true);
  if (allowed.has("ResultPath"))
    checkReferencePathField(diags, state, "ResultPath", pointer, { nullable: true, writable: true });
  if (allowed.has("Parameters") && has(state, "Parameters"))
    checkPayloadTemplate(diags, state.Parameters, at(pointer, "Parameters"));
  if (allowed.has("ResultSelector")) checkObjectTemplate(diags, state, "ResultSelector", pointer);
  if (allowed.has("Assign")) checkObjectTemplate(diags, state, "Assign", pointer);
  if (allowed.has("Retry")) checkRetry(check);
  if (allowed.has("Catch")) checkCatch(check);
  if (allowed.has("Next")) checkNextOrEnd(check);
}

/** Pass, Task, Wait, Parallel and Map need exactly one of Next or End: true. */
export function checkNextOrEnd({ ctx, state, pointer, edges }: StateCheck): void {
  const diags = ctx.diags;
  const next = state.Next;
  const end = state.End;
  if (end !== undefined && end !== true) {
    diags.error("INVALID_VALUE", at(pointer, "End"), "End must be true; to continue, use Next instead");
  }
  if (next !== undefined && end !== undefined) {
    diags.error("NEXT_AND_END", at(pointer, "End"), "a state may have Next or End, not both");
  }
  if (next === undefined && end === undefined) {
    diags.error("NEXT_OR_END_REQUIRED", pointer, 'this state needs "Next" (a state name) or "End": true');
  }
  if (next === undefined) return;
  if (typeof next === "string") edges.push({ target: next, pointer: at(pointer, "Next") });
  else diags.error("INVALID_TYPE", at(pointer, "Next"), "Next must be a state name");
}
