// The parsed form of an ASL Path. Step Functions evaluates paths with Jayway JsonPath, so the
// shapes here follow Jayway's operators: names, indexes, wildcards, unions, slices, filters and
// deep scan (`..`).

export type PathRoot = "$" | "$$";

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~";

/** A value inside a filter: a literal, a path relative to the current node (`@`) or the root. */
export type FilterOperand =
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "regex"; source: string; flags: string }
  | { kind: "path"; root: "@" | "$"; segments: Segment[] };

export type FilterExpression =
  | { kind: "or"; left: FilterExpression; right: FilterExpression }
  | { kind: "and"; left: FilterExpression; right: FilterExpression }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "compare"; op: ComparisonOperator; left: FilterOperand; right: FilterOperand }
  | { kind: "exists"; operand: FilterOperand };

export type Selector =
  | { kind: "name"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "slice"; start: number | null; end: number | null; step: number | null }
  | { kind: "filter"; expression: FilterExpression };

/** One `.x`, `[..]` or `..x` step; several selectors form a union (`[a,b]`). */
export interface Segment {
  descendant: boolean;
  selectors: Selector[];
}

export interface ParsedPath {
  source: string;
  root: PathRoot;
  /** `$name…`: the path reads the variable `name` (root `$`), not the input. */
  variable?: string;
  segments: Segment[];
  /** True when the path can only ever select one node (a Reference Path shape). */
  singular: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string; position: number };

export const isSingularSegment = (segment: Segment): boolean => {
  if (segment.descendant || segment.selectors.length !== 1) return false;
  const kind = segment.selectors[0]?.kind;
  return kind === "name" || kind === "index";
};
