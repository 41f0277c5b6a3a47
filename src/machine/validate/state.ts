import { assertNever } from "../../core/result.ts";
import { checkUnknownFields, requireField } from "./checks.ts";
import type { Context, Edge, StateCheck } from "./context.ts";
import { at } from "./diagnostics.ts";
import { isStateType, STATE_FIELDS, STATE_TYPES } from "./fields.ts";
import { describe, isObject, quote } from "./json.ts";
import { checkChoice } from "./states/choice.ts";
import { checkCommonFields } from "./states/common.ts";
import { checkFail } from "./states/fail.ts";
import { checkMap } from "./states/map.ts";
import { checkParallel } from "./states/parallel.ts";
import { checkPass } from "./states/pass.ts";
import { checkTask } from "./states/task.ts";
import { checkWait } from "./states/wait.ts";

/** Validates one state and returns its outgoing transitions; undefined when it is not a state at all. */
export function checkState(
  ctx: Context,
  value: unknown,
  pointer: string,
): { edges: Edge[]; terminal: boolean } | undefined {
  const diags = ctx.diags;
  if (!isObject(value)) {
    diags.error("INVALID_TYPE", pointer, `a state must be an object, not ${describe(value)}`);
    return undefined;
  }
  if (!requireField(diags, value, "Type", pointer, "A state")) return undefined;
  const type = value.Type;
  if (!isStateType(type)) {
    diags.error(
      "INVALID_VALUE",
      at(pointer, "Type"),
      `Type ${quote(String(type))} is not one of ${STATE_TYPES.join(", ")}`,
    );
    return undefined;
  }
  const check: StateCheck = { ctx, state: value, pointer, allowed: STATE_FIELDS[type], edges: [] };
  checkUnknownFields(diags, value, pointer, check.allowed, `A ${type} state`);
  checkCommonFields(check);
  switch (type) {
    case "Pass":
      checkPass(check);
      break;
    case "Task":
      checkTask(check);
      break;
    case "Choice":
      checkChoice(check);
      break;
    case "Wait":
      checkWait(check);
      break;
    case "Succeed":
      break;
    case "Fail":
      checkFail(check);
      break;
    case "Parallel":
      checkParallel(check);
      break;
    case "Map":
      checkMap(check);
      break;
    default:
      assertNever(type, "state type");
  }
  return { edges: check.edges, terminal: type === "Succeed" || type === "Fail" || value.End === true };
}
