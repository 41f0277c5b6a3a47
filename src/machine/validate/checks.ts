// Field-level checks shared by every state type. Each takes the containing object and the key,
// so the pointer in a diagnostic names the exact offending field.

import { at, type Diagnostics } from "./diagnostics.ts";
import { engineCannotEvaluateIntrinsic, engineCannotEvaluatePath } from "./engine-support.ts";
import { isJsonPathOnlyField, JSONATA_ONLY_FIELDS } from "./fields.ts";
import { intrinsicProblem, looksLikeIntrinsic } from "./intrinsic-syntax.ts";
import { describe, has, isInteger, type JsonObject, quote } from "./json.ts";
import { isVariablePath, jsonPathProblem, referencePathProblem } from "./path-syntax.ts";

/** Step Functions' ceiling for every seconds/attempts field. */
export const MAX_SECONDS = 99_999_999;

export function checkUnknownFields(
  diags: Diagnostics,
  object: JsonObject,
  pointer: string,
  allowed: ReadonlySet<string>,
  what: string,
  jsonata = false,
): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const hint =
      !jsonata && JSONATA_ONLY_FIELDS.has(key)
        ? " (it is a JSONata-mode field)"
        : jsonata && isJsonPathOnlyField(key)
          ? " (it is a JSONPath-mode field; JSONata states use Arguments, Output and expressions)"
          : "";
    diags.error("UNKNOWN_FIELD", at(pointer, key), `${what} does not allow the field ${quote(key)}${hint}`);
  }
}

export function requireField(
  diags: Diagnostics,
  object: JsonObject,
  key: string,
  pointer: string,
  what: string,
): boolean {
  if (has(object, key)) return true;
  diags.error("MISSING_FIELD", pointer, `${what} requires the field ${quote(key)}`);
  return false;
}

/** Reports every pair of present fields from a group where at most one may appear. */
export function checkExclusive(
  diags: Diagnostics,
  object: JsonObject,
  pointer: string,
  keys: readonly string[],
): void {
  const present = keys.filter((key) => has(object, key));
  for (const extra of present.slice(1)) {
    diags.error(
      "EXCLUSIVE_FIELDS",
      at(pointer, extra),
      `${quote(extra)} may not appear together with ${quote(present[0] ?? "")}`,
    );
  }
}

export function checkString(diags: Diagnostics, object: JsonObject, key: string, pointer: string): boolean {
  const value = object[key];
  if (value === undefined || typeof value === "string") return true;
  diags.error("INVALID_TYPE", at(pointer, key), `${key} must be a string, not ${describe(value)}`);
  return false;
}

export function checkInteger(
  diags: Diagnostics,
  object: JsonObject,
  key: string,
  pointer: string,
  min: number,
  max = MAX_SECONDS,
): void {
  const value = object[key];
  if (value === undefined) return;
  if (!isInteger(value))
    diags.error("INVALID_TYPE", at(pointer, key), `${key} must be an integer, not ${describe(value)}`);
  else if (value < min || value > max)
    diags.error("INVALID_VALUE", at(pointer, key), `${key} must be between ${min} and ${max}`);
}

export function checkEnum(
  diags: Diagnostics,
  object: JsonObject,
  key: string,
  pointer: string,
  values: readonly string[],
): void {
  const value = object[key];
  if (value === undefined) return;
  if (typeof value !== "string" || !values.includes(value)) {
    diags.error("INVALID_VALUE", at(pointer, key), `${key} must be one of ${values.join(", ")}`);
  }
}

/** InputPath, OutputPath, ItemsPath: any JSONPath; null where the spec gives null a meaning. */
export function checkPathField(
  diags: Diagnostics,
  object: JsonObject,
  key: string,
  pointer: string,
  nullable: boolean,
): void {
  const value = object[key];
  if (value === undefined || (nullable && value === null)) return;
  if (typeof value !== "string") {
    diags.error(
      "INVALID_TYPE",
      at(pointer, key),
      `${key} must be a path string${nullable ? " or null" : ""}`,
    );
    return;
  }
  const problem = jsonPathProblem(value);
  if (problem)
    diags.error(
      "INVALID_JSONPATH",
      at(pointer, key),
      `${key} ${quote(value)} is not a valid JSONPath: ${problem}`,
    );
  else warnIfEngineCannotEvaluate(diags, at(pointer, key), value, "path");
}

/** After a spec-valid verdict: warns when the engine's own evaluator would refuse the expression. */
export function warnIfEngineCannotEvaluate(
  diags: Diagnostics,
  pointer: string,
  expression: string,
  kind: "path" | "reference" | "intrinsic",
): void {
  const reason =
    kind === "intrinsic"
      ? engineCannotEvaluateIntrinsic(expression)
      : engineCannotEvaluatePath(expression, kind === "reference");
  if (!reason) return;
  diags.warning(
    "ENGINE_UNSUPPORTED_EXPRESSION",
    pointer,
    `${quote(expression)} is valid ASL but this engine cannot evaluate it yet (${reason}); the state will fail at run time`,
  );
}

/** Fields that need a single node: …Path comparators, SecondsPath, Variable, ResultPath. */
export function checkReferencePathField(
  diags: Diagnostics,
  object: JsonObject,
  key: string,
  pointer: string,
  options: { nullable?: boolean; writable?: boolean; intrinsic?: boolean } = {},
): void {
  const value = object[key];
  if (value === undefined || (options.nullable && value === null)) return;
  if (typeof value !== "string") {
    diags.error(
      "INVALID_TYPE",
      at(pointer, key),
      `${key} must be a reference path string${options.nullable ? " or null" : ""}`,
    );
    return;
  }
  if (options.intrinsic && looksLikeIntrinsic(value)) {
    const problem = intrinsicProblem(value);
    if (problem) diags.error("INVALID_INTRINSIC", at(pointer, key), `${key}: ${problem}`);
    else warnIfEngineCannotEvaluate(diags, at(pointer, key), value, "intrinsic");
    return;
  }
  if (options.writable && (value.startsWith("$$") || isVariablePath(value))) {
    // ResultPath writes into the state's input; the context object and variables are read-only.
    diags.error(
      "INVALID_REFERENCE_PATH",
      at(pointer, key),
      `${key} ${quote(value)} must write into the input ($…), not into $$ or a variable`,
    );
    return;
  }
  const problem = referencePathProblem(value);
  if (problem)
    diags.error(
      "INVALID_REFERENCE_PATH",
      at(pointer, key),
      `${key} ${quote(value)} is not a valid reference path: ${problem}`,
    );
  else warnIfEngineCannotEvaluate(diags, at(pointer, key), value, "reference");
}
