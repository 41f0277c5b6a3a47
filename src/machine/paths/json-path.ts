import type { ParsedPath, ParseResult } from "./json-path-ast.ts";
import { evaluateSegments } from "./json-path-evaluate.ts";
import { parsePath as parseUncached } from "./json-path-parser.ts";

export type { ParsedPath, ParseResult, PathRoot, Segment, Selector } from "./json-path-ast.ts";

export type PathMatch = { found: true; value: unknown } | { found: false };

// Definitions are immutable and evaluated over and over (every state entry parses its paths),
// so parsed paths are memoised. The bound keeps a long-lived isolate from growing without limit.
const CACHE_LIMIT = 2_000;
const cache = new Map<string, ParseResult<ParsedPath>>();

/** Parses an ASL Path (`$`/`$$` then Jayway-style steps). Results are cached per string. */
export function parsePath(path: string): ParseResult<ParsedPath> {
  const hit = cache.get(path);
  if (hit) return hit;
  const parsed = parseUncached(path);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

/** ASL "Path": any JSONPath starting with `$` or `$$`. */
export function isValidPath(path: string): boolean {
  return parsePath(path).ok;
}

/**
 * ASL "Reference Path": a path that can identify only one node — `$`, `.name`, `['name']` and
 * non-negative `[n]`; no wildcards, unions, slices, filters or deep scan (states-language.net).
 */
export function isValidReferencePath(path: string): boolean {
  const parsed = parsePath(path);
  return parsed.ok && isReference(parsed.value);
}

export function isReference(parsed: ParsedPath): boolean {
  return (
    parsed.singular &&
    parsed.segments.every((segment) => segment.selectors.every((s) => s.kind !== "index" || s.index >= 0))
  );
}

/**
 * Evaluates a path against `data`; the root (`$` or `$$`) is `data` itself, so callers pick the
 * document (input or context object) — see `resolvePath` in context.ts. A singular path yields
 * its one value or nothing; any other path yields the array of its matches, possibly empty, as
 * Jayway (and so Step Functions) does for indefinite paths.
 */
export function evaluatePath(data: unknown, path: string | ParsedPath): PathMatch {
  let parsed: ParsedPath;
  if (typeof path === "string") {
    const result = parsePath(path);
    if (!result.ok) return { found: false };
    parsed = result.value;
  } else {
    parsed = path;
  }
  const matches = evaluateSegments(data, data, parsed.segments);
  if (!parsed.singular) return { found: true, value: matches };
  return matches.length === 1 ? { found: true, value: matches[0] } : { found: false };
}

/** Jayway's normalised form (`$['a'][0]`), used in error causes as Step Functions prints them. */
export function normalizedPath(parsed: ParsedPath): string {
  let out = parsed.root;
  for (const segment of parsed.segments) {
    const parts = segment.selectors.map((s) => {
      if (s.kind === "name") return `'${s.name}'`;
      if (s.kind === "index") return String(s.index);
      if (s.kind === "wildcard") return "*";
      if (s.kind === "slice") return `${s.start ?? ""}:${s.end ?? ""}${s.step === null ? "" : `:${s.step}`}`;
      return "?";
    });
    out += `${segment.descendant ? ".." : ""}[${parts.join(",")}]`;
  }
  return out;
}
