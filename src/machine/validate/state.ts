import { assertNever } from "../../core/result.ts";
import { checkUnknownFields, requireField } from "./checks.ts";
import type { Context, Edge, StateCheck } from "./context.ts";
import { at } from "./diagnostics.ts";
import { isStateType, JSONATA_STATE_FIELDS, STATE_FIELDS, STATE_TYPES } from "./fields.ts";
import { describe, isObject, quote } from "./json.ts";
import { checkChoice } from "./states/choice.ts";
import { checkCommonFields } from "./states/common.ts";
import { checkFail } from "./states/fail.ts";
import { checkJsonataState } from "./states/jsonata-state.ts";
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
  const own = value.QueryLanguage;
  const jsonata = own === "JSONata" || (own === undefined && ctx.topLanguage === "JSONata");
  if (own === "JSONPath" && ctx.topLanguage === "JSONata" && !ctx.inDistributed) {
    diags.error(
      "QUERY_LANGUAGE_CONFLICT",
      at(pointer, "QueryLanguage"),
      "a state machine whose top-level QueryLanguage is JSONata cannot have JSONPath states (only a distributed Map's processor may)",
    );
  }
  const allowed = (jsonata ? JSONATA_STATE_FIELDS : STATE_FIELDS)[type];
  const check: StateCheck = { ctx, state: value, pointer, allowed, edges: [], jsonata };
  checkUnknownFields(diags, value, pointer, check.allowed, `A ${type} state`, jsonata);
  if (jsonata) {
    checkJsonataState(check, type);
    return { edges: check.edges, terminal: type === "Succeed" || type === "Fail" || value.End === true };
  }
  checkCommonFields(check);
  collectJsonPathVariables(ctx, value, pointer);
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

/**
 * JSONPath states: what every `Assign` sets, and every `$name` a path or intrinsic call reads
 * (`.$` values, Choice `Variable`, `…Path` fields). Nested machines are visited as states.
 */
function collectJsonPathVariables(ctx: Context, value: unknown, pointer: string, key = ""): void {
  if (typeof value === "string") {
    if (key.endsWith(".$") || key === "Variable" || (key.endsWith("Path") && key !== "ResultPath"))
      ctx.variables.readPathReferences(value, pointer);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectJsonPathVariables(ctx, item, at(pointer, index), key);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [k, item] of Object.entries(value)) {
    if (k === "Branches" || k === "ItemProcessor" || k === "Iterator") continue;
    if (k === "Assign") ctx.variables.assign(item, at(pointer, k), ctx.diags);
    collectJsonPathVariables(ctx, item, at(pointer, k), k);
  }
}
