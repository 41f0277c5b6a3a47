// Payload templates (Parameters, ResultSelector, ItemSelector, Credentials, Assign, …): a key
// ending in `.$` is replaced at run time by the value of its path or intrinsic call, under the
// key without the suffix — so `x` beside `x.$` would collide, and Step Functions refuses it.

import { warnIfEngineCannotEvaluate } from "./checks.ts";
import { at, type Diagnostics } from "./diagnostics.ts";
import { intrinsicProblem, looksLikeIntrinsic } from "./intrinsic-syntax.ts";
import { describe, isObject, quote } from "./json.ts";
import { jsonPathProblem } from "./path-syntax.ts";

const DYNAMIC = ".$";

export function checkPayloadTemplate(diags: Diagnostics, value: unknown, pointer: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkPayloadTemplate(diags, item, at(pointer, index));
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, field] of Object.entries(value)) {
    const fieldPointer = at(pointer, key);
    if (!key.endsWith(DYNAMIC)) {
      checkPayloadTemplate(diags, field, fieldPointer);
      continue;
    }
    const plain = key.slice(0, -DYNAMIC.length);
    if (Object.hasOwn(value, plain)) {
      diags.error(
        "PAYLOAD_TEMPLATE_CONFLICT",
        fieldPointer,
        `${quote(key)} and ${quote(plain)} both produce the key ${quote(plain)}`,
      );
    }
    checkDynamicValue(diags, key, field, fieldPointer);
  }
}

function checkDynamicValue(diags: Diagnostics, key: string, field: unknown, pointer: string): void {
  if (typeof field !== "string") {
    diags.error(
      "INVALID_PAYLOAD_TEMPLATE",
      pointer,
      `${quote(key)} must hold a path or an intrinsic call, not ${describe(field)}`,
    );
    return;
  }
  if (looksLikeIntrinsic(field)) {
    const problem = intrinsicProblem(field);
    if (problem) diags.error("INVALID_INTRINSIC", pointer, `${quote(key)}: ${problem}`);
    else warnIfEngineCannotEvaluate(diags, pointer, field, "intrinsic");
    return;
  }
  const problem = jsonPathProblem(field);
  if (problem) {
    diags.error(
      "INVALID_PAYLOAD_TEMPLATE",
      pointer,
      `${quote(key)} holds ${quote(field)}, which is neither a path nor an intrinsic call: ${problem}`,
    );
  } else {
    warnIfEngineCannotEvaluate(diags, pointer, field, "path");
  }
}

/** ResultSelector, ItemSelector, Credentials, Assign must be objects; Parameters may be any JSON. */
export function checkObjectTemplate(
  diags: Diagnostics,
  object: Record<string, unknown>,
  key: string,
  pointer: string,
): void {
  const value = object[key];
  if (value === undefined) return;
  if (!isObject(value)) {
    diags.error("INVALID_TYPE", at(pointer, key), `${key} must be an object, not ${describe(value)}`);
    return;
  }
  checkPayloadTemplate(diags, value, at(pointer, key));
}
