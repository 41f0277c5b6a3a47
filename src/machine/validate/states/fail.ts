import { checkExclusive, checkReferencePathField, checkString } from "../checks.ts";
import type { StateCheck } from "../context.ts";

export function checkFail({ ctx, state, pointer }: StateCheck): void {
  const diags = ctx.diags;
  checkExclusive(diags, state, pointer, ["Error", "ErrorPath"]);
  checkExclusive(diags, state, pointer, ["Cause", "CausePath"]);
  checkString(diags, state, "Error", pointer);
  checkString(diags, state, "Cause", pointer);
  // ErrorPath and CausePath take a reference path or an intrinsic call (States.Format, …).
  checkReferencePathField(diags, state, "ErrorPath", pointer, { intrinsic: true });
  checkReferencePathField(diags, state, "CausePath", pointer, { intrinsic: true });
}
