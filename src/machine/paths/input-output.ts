import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import { type ContextObject, evaluateOver } from "./context.ts";
import { normalizedPath, parsePath } from "./json-path.ts";
import { preview } from "./result-path.ts";

// InputPath and OutputPath share the spec's rules: absent means `$` (everything), null means an
// empty object `{}`, and a path that selects nothing fails the state with States.Runtime — the
// error Step Functions raises there, which States.ALL deliberately does not catch.

export function applyInputPath(
  input: unknown,
  inputPath: string | null | undefined,
  context?: ContextObject,
): StatesResult<unknown> {
  return select("InputPath", input, inputPath, context);
}

export function applyOutputPath(
  output: unknown,
  outputPath: string | null | undefined,
  context?: ContextObject,
): StatesResult<unknown> {
  return select("OutputPath", output, outputPath, context);
}

function select(
  field: string,
  data: unknown,
  path: string | null | undefined,
  context?: ContextObject,
): StatesResult<unknown> {
  if (path === undefined) return succeed(data);
  if (path === null) return succeed({});
  const parsed = parsePath(path);
  if (!parsed.ok) return failWith(StatesError.Runtime, `Invalid ${field} '${path}': ${parsed.message}`);
  // Step Functions lets InputPath and OutputPath read the context object (`"$$.Execution.Input"`,
  // `"$$"` itself).
  const match = evaluateOver(parsed.value, data, context);
  if (match.found) return succeed(match.value);
  return failWith(
    StatesError.Runtime,
    `Invalid path '${path}' : No results for path: ${normalizedPath(parsed.value)} in ${field} of ${preview(data)}`,
  );
}
