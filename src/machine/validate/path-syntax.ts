// A private syntax check for JSONPath and Reference Paths, used until src/machine/paths exports
// isValidPath/isValidReferencePath (written concurrently by another engineer); switch then.
// Step Functions evaluates paths with Jayway JSONPath, so this accepts its notation: `$` (input),
// `$$` (context object), `$name` (a variable, JSONPath mode), dot and bracket segments, `..`,
// wildcards, slices, unions, `?(…)` filters and `(…)` script expressions.

const NAME = /^[^.[\]\s'"()]+(\(\))?$/;
const REFERENCE_NAME = /^[^.[\]\s'"()@*,:?$]+$/;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*/;
const INDEX = /^-?\d+$/;
const SLICE = /^(-?\d+)?:(-?\d+)?(:(-?\d+)?)?$/;
const QUOTED = /^('([^'\\]|\\.)*'|"([^"\\]|\\.)*")$/;

/** Where the path's segments start, after `$`, `$$` or `$variable`; -1 when it has no root. */
function rootLength(path: string): number {
  if (!path.startsWith("$")) return -1;
  if (path.startsWith("$$")) return 2;
  const variable = VARIABLE.exec(path.slice(1));
  return variable ? 1 + variable[0].length : 1;
}

/** Index of the `]` closing the `[` at `open`, skipping quoted text and nested brackets. */
function closingBracket(path: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < path.length; i++) {
    const c = path[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      depth--;
      if (depth === 0) return c === "]" ? i : -1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ",") {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function bracketProblem(content: string): string | undefined {
  const inner = content.trim();
  if (inner === "*") return undefined;
  if (inner.startsWith("?(") || inner.startsWith("(")) {
    return inner.endsWith(")") && inner.length > (inner.startsWith("?") ? 3 : 2)
      ? undefined
      : `expression [${content}] is not closed or is empty`;
  }
  for (const part of splitTopLevel(inner)) {
    if (!(QUOTED.test(part) || INDEX.test(part) || SLICE.test(part))) {
      return `[${content}] is not an index, slice, union, quoted name, filter or wildcard`;
    }
  }
  return undefined;
}

/** Why `path` is not a JSONPath, or undefined when it is one. */
export function jsonPathProblem(path: string): string | undefined {
  const root = rootLength(path);
  if (root < 0) return "a path must begin with $";
  let i = root;
  while (i < path.length) {
    if (path.startsWith("..", i)) {
      const next = path[i + 2];
      if (next === undefined || next === ".") return "`..` must be followed by a name, * or [";
      if (next === "[") {
        i += 2;
        continue;
      }
      const end = nameEnd(path, i + 2);
      const name = path.slice(i + 2, end);
      if (name !== "*" && !NAME.test(name)) return `invalid name after \`..\`: ${name}`;
      i = end;
    } else if (path[i] === ".") {
      const end = nameEnd(path, i + 1);
      const name = path.slice(i + 1, end);
      if (name !== "*" && !NAME.test(name)) return `invalid name after \`.\`: "${name}"`;
      i = end;
    } else if (path[i] === "[") {
      const close = closingBracket(path, i);
      if (close < 0) return "unbalanced [";
      const problem = bracketProblem(path.slice(i + 1, close));
      if (problem) return problem;
      i = close + 1;
    } else {
      return `unexpected ${JSON.stringify(path[i])} at offset ${i}`;
    }
  }
  return undefined;
}

function nameEnd(path: string, from: number): number {
  let i = from;
  while (i < path.length && path[i] !== "." && path[i] !== "[") i++;
  return i;
}

/**
 * Why `path` is not a Reference Path (spec: a Path that identifies a single node, so only
 * `.name`, `['name']` and `[index]` segments), or undefined when it is one.
 */
export function referencePathProblem(path: string): string | undefined {
  const root = rootLength(path);
  if (root < 0) return "a reference path must begin with $";
  let i = root;
  while (i < path.length) {
    if (path[i] === ".") {
      const end = nameEnd(path, i + 1);
      const name = path.slice(i + 1, end);
      if (!REFERENCE_NAME.test(name)) return `"${name}" is not a plain field name`;
      i = end;
    } else if (path[i] === "[") {
      const close = closingBracket(path, i);
      if (close < 0) return "unbalanced [";
      const inner = path.slice(i + 1, close).trim();
      if (!(/^\d+$/.test(inner) || QUOTED.test(inner))) {
        return `[${inner}] selects more than one node; use a field name or an index`;
      }
      i = close + 1;
    } else {
      return `unexpected ${JSON.stringify(path[i])} at offset ${i}`;
    }
  }
  return undefined;
}

/** Variables (`$name`) are readable in most paths but can never be written through ResultPath. */
export function isVariablePath(path: string): boolean {
  return path.startsWith("$") && !path.startsWith("$$") && VARIABLE.test(path.slice(1));
}
