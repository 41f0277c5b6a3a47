import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import { evaluateIntrinsic, type IntrinsicOptions } from "../intrinsics/evaluate.ts";
import { isIntrinsicCall } from "../intrinsics/parser.ts";
import { type ContextObject, evaluateOver } from "./context.ts";
import { parsePath } from "./json-path.ts";
import { isObject } from "./json-path-evaluate.ts";
import { preview } from "./result-path.ts";

export interface PayloadTemplateOptions extends IntrinsicOptions {
  /**
   * The error for a `.$` path that matches nothing. Step Functions raises States.Runtime (the
   * spec's States.ParameterPathFailure name is not what AWS reports); overridable for callers
   * that want the spec's name.
   */
  pathFailureError?: string;
}

/**
 * Builds a payload from a template (`Parameters`, `ResultSelector`, `ItemSelector`): a field
 * whose name ends in `.$` is renamed without the suffix and takes the value of its path (`$…`
 * over the input, `$$…` over the context object) or intrinsic call. Objects recurse at any depth,
 * arrays element by element; everything else is copied as is.
 */
export function applyPayloadTemplate(
  template: unknown,
  input: unknown,
  context: ContextObject,
  options: PayloadTemplateOptions = {},
): StatesResult<unknown> {
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (const item of template) {
      const value = applyPayloadTemplate(item, input, context, options);
      if (!value.ok) return value;
      out.push(value.value);
    }
    return succeed(out);
  }
  if (!isObject(template)) return succeed(template);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith(".$")) {
      const nested = applyPayloadTemplate(value, input, context, options);
      if (!nested.ok) return nested;
      out[key] = nested.value;
      continue;
    }
    const resolved = resolveDynamic(key, value, input, context, options);
    if (!resolved.ok) return resolved;
    out[key.slice(0, -2)] = resolved.value;
  }
  return succeed(out);
}

function resolveDynamic(
  key: string,
  expr: unknown,
  input: unknown,
  context: ContextObject,
  options: PayloadTemplateOptions,
): StatesResult<unknown> {
  if (typeof expr !== "string") {
    return failWith(
      StatesError.Runtime,
      `The value for the field '${key}' must be a path or an intrinsic function`,
    );
  }
  if (isIntrinsicCall(expr)) return evaluateIntrinsic(expr, input, context, options);
  const parsed = parsePath(expr);
  if (!parsed.ok) {
    return failWith(
      StatesError.Runtime,
      `The value for the field '${key}' is not a valid path: ${parsed.message}`,
    );
  }
  const fromContext = parsed.value.root === "$$";
  const match = evaluateOver(parsed.value, input, context, options.variables);
  if (match.found) return succeed(match.value);
  if (parsed.value.variable !== undefined) {
    return failWith(
      options.pathFailureError ?? StatesError.Runtime,
      `The JSONPath '${expr}' specified for the field '${key}' could not be found: the variable '${parsed.value.variable}' is not assigned or has no such field`,
    );
  }
  // The wording follows Step Functions' own cause for this failure.
  return failWith(
    options.pathFailureError ?? StatesError.Runtime,
    `The JSONPath '${expr}' specified for the field '${key}' could not be found in the ${
      fromContext ? "context object" : "input"
    } '${preview(fromContext ? context : input)}'`,
  );
}
