// The interpreter's one doorway to the JSONPath / payload-template engine (src/machine/paths).
// Payloads are JSON by construction (they come from JSON input, JSON task results and JSON
// definitions), so the `unknown` the path engine returns is narrowed to JsonValue here, once.

import type { PathRead } from "./choice/evaluate.ts";
import type { StatesResult } from "./errors.ts";
import { type ContextObject, resolvePath, type Variables } from "./paths/context.ts";
import { applyInputPath as inputPath, applyOutputPath as outputPath } from "./paths/input-output.ts";
import { applyPayloadTemplate } from "./paths/payload-template.ts";
import { applyResultPath as resultPath } from "./paths/result-path.ts";
import type { JsonValue, PayloadTemplate } from "./types.ts";

const asJson = (result: StatesResult<unknown>): StatesResult<JsonValue> => result as StatesResult<JsonValue>;

export const applyInputPath = (
  input: JsonValue,
  path: string | null | undefined,
  context: ContextObject,
): StatesResult<JsonValue> => asJson(inputPath(input, path, context));

export const applyOutputPath = (
  output: JsonValue,
  path: string | null | undefined,
  context?: ContextObject,
): StatesResult<JsonValue> => asJson(outputPath(output, path, context));

export const applyResultPath = (
  input: JsonValue,
  result: JsonValue,
  path: string | null | undefined,
): StatesResult<JsonValue> => asJson(resultPath(input, result, path));

/** Parameters / ResultSelector / ItemSelector; absent template → the input unchanged. */
export function applyTemplate(
  template: PayloadTemplate | undefined,
  input: JsonValue,
  context: ContextObject,
  random: () => number,
  variables?: Variables,
): StatesResult<JsonValue> {
  if (template === undefined) return { ok: true, value: input };
  return asJson(
    applyPayloadTemplate(template, input, context, { random, ...(variables ? { variables } : {}) }),
  );
}

/**
 * Reads `$…` from `data`, `$$…` from the context object or `$name…` from a variable, telling
 * "absent" apart from null.
 */
export function readPath(
  data: JsonValue,
  path: string,
  context: ContextObject,
  variables?: Variables,
): PathRead {
  const match = resolvePath(path, data, context, variables);
  return match.found ? { found: true, value: match.value as JsonValue } : { found: false };
}
