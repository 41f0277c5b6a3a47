// One scope: the top-level machine, a Parallel branch or a Map processor. Each has its own
// StartAt and States, and its own transition graph.

import { assertNever } from "../../core/result.ts";
import { checkEnum, checkInteger, checkString, checkUnknownFields, requireField } from "./checks.ts";
import type { Context, ScopeKind } from "./context.ts";
import { at } from "./diagnostics.ts";
import { BRANCH_FIELDS, PROCESSOR_FIELDS, TOP_LEVEL_FIELDS } from "./fields.ts";
import { describe, isObject, quote } from "./json.ts";
import { checkGraph, type StateNode } from "./reachability.ts";
import { checkState } from "./state.ts";

/** Step Functions limits state names to 80 characters (counted as Unicode code points). */
export const MAX_STATE_NAME_LENGTH = 80;

function allowedFields(kind: ScopeKind): ReadonlySet<string> {
  switch (kind) {
    case "state machine":
      return TOP_LEVEL_FIELDS;
    case "branch":
    case "iterator":
      return BRANCH_FIELDS;
    case "item processor":
      return PROCESSOR_FIELDS;
    default:
      return assertNever(kind, "scope kind");
  }
}

export function checkScope(ctx: Context, value: unknown, pointer: string, kind: ScopeKind): void {
  const diags = ctx.diags;
  const what = kind === "iterator" ? "item processor" : kind;
  if (!isObject(value)) {
    diags.error(
      "INVALID_TYPE",
      pointer,
      `a ${what} must be an object with StartAt and States, not ${describe(value)}`,
    );
    return;
  }
  checkUnknownFields(diags, value, pointer, allowedFields(kind), `A ${what}`);
  checkString(diags, value, "Comment", pointer);
  if (kind === "state machine") {
    checkString(diags, value, "Version", pointer);
    checkInteger(diags, value, "TimeoutSeconds", pointer, 1);
    checkEnum(diags, value, "QueryLanguage", pointer, ["JSONPath", "JSONata"]);
  }
  let startAt: string | undefined;
  if (requireField(diags, value, "StartAt", pointer, `A ${what}`)) {
    if (typeof value.StartAt === "string") startAt = value.StartAt;
    else diags.error("INVALID_TYPE", at(pointer, "StartAt"), "StartAt must be a state name");
  }
  if (!requireField(diags, value, "States", pointer, `A ${what}`)) return;
  const states = value.States;
  const statesPointer = at(pointer, "States");
  if (!isObject(states) || Object.keys(states).length === 0) {
    diags.error("INVALID_TYPE", statesPointer, "States must be an object with at least one state");
    return;
  }
  const nodes = new Map<string, StateNode>();
  for (const [name, state] of Object.entries(states)) {
    const statePointer = at(statesPointer, name);
    const length = [...name].length;
    if (length === 0 || length > MAX_STATE_NAME_LENGTH) {
      diags.error(
        "INVALID_STATE_NAME",
        statePointer,
        `state names must be 1 to ${MAX_STATE_NAME_LENGTH} characters; this one has ${length}`,
      );
    }
    const node = checkState(ctx, state, statePointer);
    // A malformed state still exists as a name, so transitions to it are not reported twice.
    nodes.set(name, node ?? { edges: [], terminal: true });
  }
  if (startAt !== undefined && !nodes.has(startAt)) {
    const code = ctx.allStateNames.has(startAt) ? "TRANSITION_CROSSES_SCOPE" : "MISSING_TRANSITION_TARGET";
    diags.error(
      code,
      at(pointer, "StartAt"),
      `StartAt names ${quote(startAt)}, which is not a state of this ${what}`,
    );
  }
  checkGraph(diags, statesPointer, startAt, nodes, ctx.allStateNames, what);
}
