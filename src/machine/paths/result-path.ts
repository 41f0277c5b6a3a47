import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import { isReference, parsePath } from "./json-path.ts";
import type { Selector } from "./json-path-ast.ts";
import { isObject } from "./json-path-evaluate.ts";

/**
 * Combines a state's input with its result (states-language.net "ResultPath"):
 * - undefined → `$`: the result replaces the input;
 * - null → the result is discarded and the input passes through;
 * - a Reference Path → the result is written there in a copy of the input, creating missing
 *   objects on the way. Writing through a non-object (or past an array's end) is
 *   States.ResultPathMatchFailure, as in Step Functions.
 * The input is never mutated: it may be shared with history or a retry.
 */
export function applyResultPath(
  input: unknown,
  result: unknown,
  resultPath: string | null | undefined,
): StatesResult<unknown> {
  if (resultPath === undefined) return succeed(result);
  if (resultPath === null) return succeed(input);
  const parsed = parsePath(resultPath);
  if (!parsed.ok || parsed.value.root !== "$" || !isReference(parsed.value)) {
    return failWith(StatesError.ResultPathMatchFailure, `Invalid ResultPath '${resultPath}'`);
  }
  const selectors = parsed.value.segments.map((segment) => segment.selectors[0] as Selector);
  const written = write(input, selectors, 0, result);
  if (written.ok) return written;
  return failWith(
    StatesError.ResultPathMatchFailure,
    `Unable to apply ResultPath '${resultPath}' to input ${preview(input)}: ${written.cause}`,
  );
}

function write(node: unknown, path: readonly Selector[], at: number, result: unknown): StatesResult<unknown> {
  const selector = path[at];
  if (!selector) return succeed(result);
  if (selector.kind === "name") {
    if (!isObject(node)) return failWith("", `'${selector.name}' cannot be set on ${kindOf(node)}`);
    // A missing field becomes an empty object so deeper steps can be created (`$.a.b.c`).
    const child = Object.hasOwn(node, selector.name) ? node[selector.name] : at + 1 < path.length ? {} : null;
    const inner = write(child, path, at + 1, result);
    if (!inner.ok) return inner;
    return succeed({ ...node, [selector.name]: inner.value });
  }
  if (selector.kind === "index") {
    if (!Array.isArray(node) || selector.index < 0 || selector.index >= node.length) {
      return failWith("", `index ${selector.index} does not exist in ${kindOf(node)}`);
    }
    const inner = write(node[selector.index], path, at + 1, result);
    if (!inner.ok) return inner;
    const copy = node.slice();
    copy[selector.index] = inner.value;
    return succeed(copy);
  }
  return failWith("", "only names and indexes can be written");
}

const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

/** A bounded rendering of a value for a cause message; causes land in history. */
export function preview(value: unknown, limit = 256): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
