// Retriers and Catchers (spec "Error handling"). States.ALL is a wildcard, so anything after it
// could never match: the spec requires it alone in its ErrorEquals and in the last element.

import {
  checkEnum,
  checkInteger,
  checkReferencePathField,
  checkUnknownFields,
  requireField,
} from "./checks.ts";
import type { StateCheck } from "./context.ts";
import { at, type Diagnostics } from "./diagnostics.ts";
import { describe, isObject, type JsonObject } from "./json.ts";
import { checkJsonataOutputs } from "./jsonata-fields.ts";
import { checkObjectTemplate } from "./payload-template.ts";

const ALL = "States.ALL";
const RETRIER_FIELDS = new Set([
  "ErrorEquals",
  "IntervalSeconds",
  "MaxAttempts",
  "BackoffRate",
  "MaxDelaySeconds",
  "JitterStrategy",
  "Comment",
]);
const CATCHER_FIELDS = new Set(["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"]);
const JSONATA_CATCHER_FIELDS = new Set(["ErrorEquals", "Next", "Output", "Assign", "Comment"]);
/** Step Functions caps MaxDelaySeconds below one year. */
const MAX_DELAY_SECONDS = 31_622_400;

export function checkRetry(check: StateCheck): void {
  const diags = check.ctx.diags;
  for (const [retrier, pointer, isLast] of elements(diags, check.state, "Retry", check.pointer)) {
    checkUnknownFields(diags, retrier, pointer, RETRIER_FIELDS, "A Retrier");
    checkErrorEquals(diags, retrier, pointer, isLast, "Retrier");
    checkInteger(diags, retrier, "IntervalSeconds", pointer, 1);
    checkInteger(diags, retrier, "MaxAttempts", pointer, 0);
    checkInteger(diags, retrier, "MaxDelaySeconds", pointer, 1, MAX_DELAY_SECONDS - 1);
    checkEnum(diags, retrier, "JitterStrategy", pointer, ["FULL", "NONE"]);
    const rate = retrier.BackoffRate;
    if (rate !== undefined && (typeof rate !== "number" || rate < 1)) {
      diags.error(
        "INVALID_VALUE",
        at(pointer, "BackoffRate"),
        "BackoffRate must be a number greater than or equal to 1.0",
      );
    }
  }
}

export function checkCatch(check: StateCheck): void {
  const diags = check.ctx.diags;
  for (const [catcher, pointer, isLast] of elements(diags, check.state, "Catch", check.pointer)) {
    const fields = check.jsonata ? JSONATA_CATCHER_FIELDS : CATCHER_FIELDS;
    checkUnknownFields(diags, catcher, pointer, fields, "A Catcher", check.jsonata);
    checkErrorEquals(diags, catcher, pointer, isLast, "Catcher");
    if (requireField(diags, catcher, "Next", pointer, "A Catcher")) {
      if (typeof catcher.Next === "string")
        check.edges.push({ target: catcher.Next, pointer: at(pointer, "Next") });
      else diags.error("INVALID_TYPE", at(pointer, "Next"), "Next must be a state name");
    }
    if (check.jsonata) {
      checkJsonataOutputs(check, catcher, pointer);
      continue;
    }
    checkReferencePathField(diags, catcher, "ResultPath", pointer, { nullable: true, writable: true });
    checkObjectTemplate(diags, catcher, "Assign", pointer);
  }
}

function* elements(
  diags: Diagnostics,
  state: JsonObject,
  key: "Retry" | "Catch",
  statePointer: string,
): Generator<[JsonObject, string, boolean]> {
  const list = state[key];
  if (list === undefined) return;
  const pointer = at(statePointer, key);
  if (!Array.isArray(list)) {
    diags.error("INVALID_TYPE", pointer, `${key} must be an array, not ${describe(list)}`);
    return;
  }
  for (const [index, item] of list.entries()) {
    if (isObject(item)) yield [item, at(pointer, index), index === list.length - 1];
    else diags.error("INVALID_TYPE", at(pointer, index), `each ${key} element must be an object`);
  }
}

function checkErrorEquals(
  diags: Diagnostics,
  object: JsonObject,
  pointer: string,
  isLast: boolean,
  what: string,
): void {
  if (!requireField(diags, object, "ErrorEquals", pointer, `A ${what}`)) return;
  const names = object.ErrorEquals;
  const p = at(pointer, "ErrorEquals");
  if (!Array.isArray(names) || names.length === 0) {
    diags.error("INVALID_ERROR_EQUALS", p, "ErrorEquals must be a non-empty array of error names");
    return;
  }
  names.forEach((name, index) => {
    if (typeof name !== "string" || name === "")
      diags.error("INVALID_TYPE", at(p, index), "each error name must be a non-empty string");
  });
  if (!names.includes(ALL)) return;
  if (names.length > 1) diags.error("INVALID_ERROR_EQUALS", p, `${ALL} must appear alone in ErrorEquals`);
  if (!isLast) diags.error("INVALID_ERROR_EQUALS", p, `a ${what} matching ${ALL} must be the last one`);
}
