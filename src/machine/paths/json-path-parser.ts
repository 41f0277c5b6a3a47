import { parseFilter } from "./filter-parser.ts";
import type { ParsedPath, ParseResult, PathRoot, Segment, Selector } from "./json-path-ast.ts";
import { isSingularSegment } from "./json-path-ast.ts";
import { Cursor, PathSyntaxError } from "./path-cursor.ts";

// Characters that end a dot-notation name. Jayway accepts almost anything in `.name`; we stop at
// the characters that delimit paths inside intrinsic calls and filters so `States.Format('{}',
// $.a)` and `[?(@.a == 1)]` tokenise the same way Step Functions reads them.
const NAME_STOP = /[\s.[\]()'",=!<>&|*]/;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function parsePath(source: string): ParseResult<ParsedPath> {
  const cursor = new Cursor(source);
  try {
    let root: PathRoot;
    if (cursor.startsWith("$$")) root = "$$";
    else if (cursor.startsWith("$")) root = "$";
    else return { ok: false, message: "a path must start with '$' or '$$'", position: 0 };
    cursor.pos = root.length;
    // `$name` reads a variable (Assign); `$.x`, `$[…]` and `$$` read the input and the context.
    const variable = root === "$" ? VARIABLE_NAME.exec(source.slice(1))?.[0] : undefined;
    if (variable) cursor.pos += variable.length;
    const segments = readSegments(cursor, false);
    if (!cursor.done) cursor.fail("unexpected character");
    const singular = segments.every(isSingularSegment);
    return {
      ok: true,
      value: { source, root, ...(variable ? { variable } : {}), segments, singular },
    };
  } catch (error) {
    if (error instanceof PathSyntaxError)
      return { ok: false, message: error.message, position: error.position };
    throw error;
  }
}

/**
 * Reads `.name`, `..name`, `[...]` steps until something else. Inside a filter (`embedded`) the
 * caller continues with operators, so an unknown character simply ends the path.
 */
export function readSegments(cursor: Cursor, embedded: boolean): Segment[] {
  const segments: Segment[] = [];
  while (!cursor.done) {
    const c = cursor.peek();
    if (c === ".") {
      const descendant = cursor.peek(1) === ".";
      cursor.pos += descendant ? 2 : 1;
      if (descendant && cursor.peek() === "[") {
        segments.push({ descendant, selectors: readBracket(cursor) });
      } else if (cursor.peek() === "*") {
        cursor.pos++;
        segments.push({ descendant, selectors: [{ kind: "wildcard" }] });
      } else {
        segments.push({ descendant, selectors: [{ kind: "name", name: readName(cursor) }] });
      }
    } else if (c === "[") {
      segments.push({ descendant: false, selectors: readBracket(cursor) });
    } else if (embedded) {
      break;
    } else {
      cursor.fail("expected '.' or '['");
    }
  }
  return segments;
}

function readName(cursor: Cursor): string {
  const start = cursor.pos;
  while (!cursor.done && !NAME_STOP.test(cursor.peek())) cursor.pos++;
  if (cursor.pos === start) cursor.fail("expected a field name");
  return cursor.src.slice(start, cursor.pos);
}

function readBracket(cursor: Cursor): Selector[] {
  cursor.expect("[");
  cursor.skipSpaces();
  if (cursor.peek() === "?") {
    cursor.pos++;
    cursor.skipSpaces();
    cursor.expect("(");
    const expression = parseFilter(cursor, readSegments);
    cursor.skipSpaces();
    cursor.expect(")");
    cursor.skipSpaces();
    cursor.expect("]");
    return [{ kind: "filter", expression }];
  }
  const selectors: Selector[] = [];
  for (;;) {
    cursor.skipSpaces();
    selectors.push(readSelector(cursor));
    cursor.skipSpaces();
    if (cursor.peek() === ",") {
      cursor.pos++;
      continue;
    }
    cursor.expect("]");
    return selectors;
  }
}

function readSelector(cursor: Cursor): Selector {
  const c = cursor.peek();
  if (c === "*") {
    cursor.pos++;
    return { kind: "wildcard" };
  }
  if (c === "'" || c === '"') return { kind: "name", name: cursor.readQuoted() };
  const start = cursor.readInteger();
  cursor.skipSpaces();
  if (cursor.peek() !== ":") {
    if (start === null) cursor.fail("expected an index, a quoted name, '*' or a slice");
    return { kind: "index", index: start };
  }
  cursor.pos++;
  cursor.skipSpaces();
  const end = cursor.readInteger();
  cursor.skipSpaces();
  let step: number | null = null;
  if (cursor.peek() === ":") {
    cursor.pos++;
    cursor.skipSpaces();
    step = cursor.readInteger();
    if (step === 0) cursor.fail("a slice step cannot be 0");
  }
  return { kind: "slice", start, end, step };
}
