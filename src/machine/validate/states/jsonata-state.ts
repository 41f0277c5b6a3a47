// A state in JSONata mode. The field set differs (jsonata.ts in fields.ts: Arguments and Output
// instead of the five JSONPath fields), every string that looks like `{% … %}` must parse, and
// number fields take an expression as well as a literal. Transitions, Retry, Catch, branches and
// processors are checked by the same code as in JSONPath mode.

import { assertNever } from "../../../core/result.ts";
import { expressionOf } from "../../query/expression.ts";
import { checkEnum, checkString, checkUnknownFields, requireField } from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";
import type { StateType } from "../fields.ts";
import { describe, has, isObject } from "../json.ts";
import { checkExpressions } from "../jsonata.ts";
import { checkJsonataOutputs, checkNumberOrExpression } from "../jsonata-fields.ts";
import { checkResource } from "../resource.ts";
import { checkCatch, checkRetry } from "../retry-catch.ts";
import { isTimestamp } from "../timestamp.ts";
import { checkNextOrEnd } from "./common.ts";
import {
  checkItemBatcher,
  checkProcessorConfig,
  isDistributed,
  READER_CONFIG_FIELDS,
  warnDistributed,
} from "./map.ts";
import { checkParallel } from "./parallel.ts";
import { checkHeartbeatBelowTimeout } from "./task.ts";

/** Fields whose strings are names or structure, never expressions; nested parts are checked on their own. */
const STRUCTURE = new Set([
  "Type",
  "Comment",
  "QueryLanguage",
  "Next",
  "End",
  "Default",
  "Branches",
  "ItemProcessor",
  "Retry",
  "Catch",
  "Choices",
  "Output",
  "Assign",
]);
const RULE_FIELDS = new Set(["Condition", "Next", "Comment", "Output", "Assign"]);
const MAX_SECONDS = 99_999_999;

export function checkJsonataState(check: StateCheck, type: StateType): void {
  const { ctx, state, pointer } = check;
  const diags = ctx.diags;
  checkString(diags, state, "Comment", pointer);
  checkEnum(diags, state, "QueryLanguage", pointer, ["JSONPath", "JSONata"]);
  for (const [key, value] of Object.entries(state)) {
    if (!STRUCTURE.has(key) && check.allowed.has(key))
      checkExpressions(diags, value, at(pointer, key), ctx.variables.uses);
  }
  checkJsonataOutputs(check, state, pointer);
  if (check.allowed.has("Next")) checkNextOrEnd(check);
  if (check.allowed.has("Retry")) checkRetry(check);
  if (check.allowed.has("Catch")) checkCatch(check);
  for (const key of ["Arguments", "Items"]) {
    const value = state[key];
    if (typeof value === "string" && expressionOf(value) === undefined && check.allowed.has(key)) {
      diags.error(
        "INVALID_TYPE",
        at(pointer, key),
        `${key} must be ${key === "Items" ? "an array" : "a JSON object"} or a JSONata expression`,
      );
    }
  }
  switch (type) {
    case "Pass":
    case "Succeed":
      return;
    case "Task":
      if (requireField(diags, state, "Resource", pointer, "A Task state")) checkResource(check);
      checkNumberOrExpression(check, "TimeoutSeconds", 1, MAX_SECONDS);
      checkNumberOrExpression(check, "HeartbeatSeconds", 1, MAX_SECONDS);
      checkHeartbeatBelowTimeout(check);
      if (state.Credentials !== undefined && !isObject(state.Credentials))
        diags.error("INVALID_TYPE", at(pointer, "Credentials"), "Credentials must be an object");
      return;
    case "Choice":
      checkRules(check);
      return;
    case "Wait":
      checkWait(check);
      return;
    case "Fail":
      checkString(diags, state, "Error", pointer);
      checkString(diags, state, "Cause", pointer);
      return;
    case "Parallel":
      checkParallel(check);
      return;
    case "Map":
      checkMap(check);
      return;
    default:
      assertNever(type, "state type");
  }
}

function checkRules(check: StateCheck): void {
  const { ctx, state, pointer, edges } = check;
  const diags = ctx.diags;
  if (requireField(diags, state, "Choices", pointer, "A Choice state")) {
    const choices = state.Choices;
    const p = at(pointer, "Choices");
    if (!Array.isArray(choices) || choices.length === 0) {
      diags.error("INVALID_TYPE", p, "Choices must be a non-empty array of Choice rules");
    } else {
      choices.forEach((rule, index) => {
        const rp = at(p, index);
        if (!isObject(rule)) {
          diags.error("INVALID_TYPE", rp, `a Choice rule must be an object, not ${describe(rule)}`);
          return;
        }
        for (const key of Object.keys(rule)) {
          if (!RULE_FIELDS.has(key)) {
            diags.error(
              "UNKNOWN_FIELD",
              at(rp, key),
              `A JSONata Choice rule does not allow the field "${key}" (it takes Condition, Next, Output and Assign)`,
            );
          }
        }
        if (requireField(diags, rule, "Condition", rp, "A JSONata Choice rule")) {
          const condition = rule.Condition;
          if (typeof condition === "string" && expressionOf(condition) !== undefined)
            checkExpressions(diags, condition, at(rp, "Condition"), ctx.variables.uses);
          else if (typeof condition !== "boolean")
            diags.error(
              "INVALID_JSONATA",
              at(rp, "Condition"),
              'Condition must be a JSONata expression "{% … %}" or a boolean',
            );
        }
        if (requireField(diags, rule, "Next", rp, "A Choice rule")) {
          if (typeof rule.Next === "string") edges.push({ target: rule.Next, pointer: at(rp, "Next") });
          else diags.error("INVALID_TYPE", at(rp, "Next"), "Next must be a state name");
        }
        checkJsonataOutputs(check, rule, rp);
      });
    }
  }
  const fallback = state.Default;
  if (typeof fallback === "string") edges.push({ target: fallback, pointer: at(pointer, "Default") });
  else if (fallback !== undefined)
    diags.error("INVALID_TYPE", at(pointer, "Default"), "Default must be a state name");
}

function checkWait(check: StateCheck): void {
  const { ctx, state, pointer } = check;
  const present = ["Seconds", "Timestamp"].filter((key) => has(state, key));
  if (present.length !== 1) {
    ctx.diags.error(
      present.length === 0 ? "MISSING_FIELD" : "EXCLUSIVE_FIELDS",
      present.length === 0 ? pointer : at(pointer, "Timestamp"),
      "A JSONata Wait state needs exactly one of Seconds and Timestamp",
    );
  }
  checkNumberOrExpression(check, "Seconds", 0, MAX_SECONDS);
  const timestamp = state.Timestamp;
  if (timestamp === undefined) return;
  const fine =
    typeof timestamp === "string" && (expressionOf(timestamp) !== undefined || isTimestamp(timestamp));
  if (!fine) {
    ctx.diags.error(
      "INVALID_TIMESTAMP",
      at(pointer, "Timestamp"),
      "Timestamp must be an RFC 3339 string such as 2016-03-14T01:59:00Z, or a JSONata expression",
    );
  }
}

function checkMap(check: StateCheck): void {
  const { ctx, state, pointer } = check;
  const diags = ctx.diags;
  const items = state.Items;
  if (items !== undefined && !Array.isArray(items) && typeof items !== "string")
    diags.error("INVALID_TYPE", at(pointer, "Items"), "Items must be an array or a JSONata expression");
  if (state.ItemSelector !== undefined && !isObject(state.ItemSelector))
    diags.error("INVALID_TYPE", at(pointer, "ItemSelector"), "ItemSelector must be an object");
  checkNumberOrExpression(check, "MaxConcurrency", 0, Number.MAX_SAFE_INTEGER);
  checkNumberOrExpression(check, "ToleratedFailureCount", 0, Number.MAX_SAFE_INTEGER);
  checkNumberOrExpression(check, "ToleratedFailurePercentage", 0, 100, false);
  checkString(diags, state, "Label", pointer);
  checkJsonataSections(check);
  if (state.ItemBatcher !== undefined && isObject(state.ItemBatcher) && !hasExpressions(state.ItemBatcher))
    checkItemBatcher(diags, state, pointer);
  const processor = state.ItemProcessor;
  if (processor === undefined) {
    diags.error("MISSING_FIELD", pointer, 'A Map state requires "ItemProcessor"');
    return;
  }
  if (isObject(processor)) checkProcessorConfig(diags, processor, at(pointer, "ItemProcessor"));
  ctx.scope(processor, at(pointer, "ItemProcessor"), "item processor", isDistributed(processor));
  warnDistributed(diags, state, pointer);
}

/**
 * The distributed Map's sections in JSONata (Step Functions' ItemReader, ItemBatcher and
 * ResultWriter pages): `Arguments` instead of `Parameters`, and no `…Path` field (MaxItemsPath,
 * MaxItemsPerBatchPath, MaxInputBytesPerBatchPath are "JSONPath only"); numbers may be
 * expressions. The JSONPath field sets were not checked here at all, so a JSONata state was stored
 * with JSONPath fields that Step Functions refuses.
 */
const JSONATA_SECTIONS: Record<string, ReadonlySet<string>> = {
  ItemReader: new Set(["Resource", "Arguments", "ReaderConfig"]),
  ItemBatcher: new Set(["MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"]),
  ResultWriter: new Set(["Resource", "Arguments", "WriterConfig"]),
};
/** A JSONata ReaderConfig takes the JSONPath one's fields but its `…Path` ones. */
const JSONATA_READER_CONFIG = new Set([...READER_CONFIG_FIELDS].filter((f) => !f.endsWith("Path")));

function checkJsonataSections({ ctx, state, pointer }: StateCheck): void {
  for (const [key, fields] of Object.entries(JSONATA_SECTIONS)) {
    const section = state[key];
    if (section === undefined) continue;
    if (!isObject(section)) {
      ctx.diags.error("INVALID_TYPE", at(pointer, key), `${key} must be an object, not ${describe(section)}`);
      continue;
    }
    checkUnknownFields(ctx.diags, section, at(pointer, key), fields, key, true);
    const config = key === "ItemReader" ? section.ReaderConfig : undefined;
    if (isObject(config)) {
      const p = at(at(pointer, key), "ReaderConfig");
      checkUnknownFields(ctx.diags, config, p, JSONATA_READER_CONFIG, "ReaderConfig", true);
    }
  }
}

/** ItemBatcher's numbers may be expressions in JSONata; then only their syntax is checked (above). */
const hasExpressions = (object: Record<string, unknown>): boolean =>
  Object.values(object).some((v) => typeof v === "string" && expressionOf(v) !== undefined);
