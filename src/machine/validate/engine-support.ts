// The verdict (ERROR or not) comes from this folder's own syntax checks, which follow the spec
// and Jayway's notation. The engine's evaluators (src/machine/paths, src/machine/intrinsics) do
// not yet read everything the spec allows — variables ($name), script expressions ((@.length-1)),
// unquoted filter operands — so a path that is valid ASL but that the engine would fail on at
// run time gets a WARNING, in the same spirit as an unsupported Task Resource: the definition
// stays portable, and the user learns before running it.

import { parseIntrinsic } from "../intrinsics/index.ts";
import { isValidReferencePath, parsePath } from "../paths/json-path.ts";

/** Why the engine cannot evaluate this (already spec-valid) path, or undefined when it can. */
export function engineCannotEvaluatePath(path: string, reference: boolean): string | undefined {
  const parsed = parsePath(path);
  if (!parsed.ok) return parsed.message;
  if (reference && !isValidReferencePath(path)) return "the engine does not read it as a single-node path";
  return undefined;
}

/** Why the engine cannot evaluate this (already spec-valid) intrinsic call, or undefined. */
export function engineCannotEvaluateIntrinsic(expr: string): string | undefined {
  const parsed = parseIntrinsic(expr);
  return parsed.ok ? undefined : parsed.message;
}
