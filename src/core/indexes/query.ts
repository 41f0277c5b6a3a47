// A query against one index, checked against the index's definition and turned into what a shard
// runs: the key values (hashed by the caller), the sort range as byte bounds, the order, the page.
// Every problem names its place in the request body with a JSON Pointer.
import { escapeToken } from "../json/json-pointer";
import type { JsonValue } from "../json/json-value";
import { fail, ok, type Result } from "../result";
import type { RangeBound } from "./contract";
import { decodeCursor } from "./cursor";
import type { IndexDefinition } from "./definition";
import {
  compareBytes,
  encodeScalar,
  isScalar,
  type JsonScalar,
  kindBounds,
  kindOf,
  prefixEnd,
  type ScalarKind,
} from "./scalar";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const RANGE_OPERATORS = ["gt", "gte", "lt", "lte", "beginsWith"] as const;
export type RangeOperator = (typeof RANGE_OPERATORS)[number];

/** The body of POST …/query, its shape already checked (types of the fields). */
export interface QueryRequest {
  where: Record<string, JsonValue>;
  range?: Record<string, JsonValue> | undefined;
  order?: "asc" | "desc" | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
  include?: "ids" | "documents" | undefined;
}

export interface QueryPlan {
  /** In the order of the definition's keys. */
  keys: JsonScalar[];
  from?: RangeBound;
  to?: RangeBound;
  order: "asc" | "desc";
  limit: number;
  after?: { sort: Uint8Array; id: string };
  include: "ids" | "documents";
}

type Problem = { pointer: string; message: string };

export function planQuery(
  index: string,
  definition: IndexDefinition,
  request: QueryRequest,
): Result<QueryPlan> {
  const problems: Problem[] = [];
  const keys: JsonScalar[] = [];
  for (const pointer of definition.keys) {
    const value = request.where[pointer];
    if (!Object.hasOwn(request.where, pointer)) {
      problems.push({ pointer: "/where", message: `must give a value for the key ${pointer}` });
    } else if (!isScalar(value)) {
      problems.push({
        pointer: whereAt(pointer),
        message: "must be a JSON scalar (string, number, boolean or null)",
      });
    } else keys.push(value);
  }
  for (const pointer of Object.keys(request.where)) {
    if (!definition.keys.includes(pointer)) {
      const keyList = definition.keys.join(", ");
      problems.push({
        pointer: whereAt(pointer),
        message: `is not a key of index ${index} (its keys: ${keyList})`,
      });
    }
  }
  const order = request.order ?? "asc";
  const bounds = request.range === undefined ? {} : rangeBounds(definition, request.range, problems);
  let after: QueryPlan["after"];
  if (typeof request.cursor === "string") {
    const cursor = decodeCursor(request.cursor, index, order, definition.sort);
    if (cursor.ok) after = { sort: cursor.sort, id: cursor.id };
    else problems.push({ pointer: "/cursor", message: cursor.message });
  }
  if (problems.length > 0) return fail("invalid", "the query does not fit the index", { errors: problems });
  return ok({
    keys,
    ...bounds,
    order,
    limit: request.limit ?? DEFAULT_LIMIT,
    ...(after ? { after } : {}),
    include: request.include ?? "ids",
  });
}

const whereAt = (pointer: string) => `/where/${escapeToken(pointer)}`;

/**
 * A range compares within the kind of its values (as Firestore does): `{"gte": 5}` matches numbers
 * from 5 up, never strings, although strings sort after numbers. `beginsWith` takes a string.
 */
function rangeBounds(
  definition: IndexDefinition,
  range: Record<string, JsonValue>,
  problems: Problem[],
): { from?: RangeBound; to?: RangeBound } {
  if (definition.sort === null) {
    problems.push({ pointer: "/range", message: "this index has no sort pointer, so it takes no range" });
    return {};
  }
  const given = Object.entries(range);
  if (given.length === 0) problems.push({ pointer: "/range", message: "must hold at least one condition" });
  if ("gt" in range && "gte" in range)
    problems.push({ pointer: "/range", message: "give gt or gte, not both" });
  if ("lt" in range && "lte" in range)
    problems.push({ pointer: "/range", message: "give lt or lte, not both" });
  let kind: ScalarKind | null = null;
  for (const [op, value] of given) {
    const at = `/range/${escapeToken(op)}`;
    if (!(RANGE_OPERATORS as readonly string[]).includes(op)) {
      problems.push({ pointer: at, message: `is not an operator (use ${RANGE_OPERATORS.join(", ")})` });
    } else if (!isScalar(value)) {
      problems.push({ pointer: at, message: "must be a JSON scalar (string, number, boolean or null)" });
    } else if (op === "beginsWith" && typeof value !== "string") {
      problems.push({ pointer: at, message: "must be a string" });
    } else if (kind !== null && kindOf(value) !== kind) {
      // beginsWith can only be a string: "must be a number" would ask for what it refuses next.
      const message =
        op === "beginsWith"
          ? `takes a string, so every bound of the range must be a string (another is a ${kind})`
          : `must be a ${kind}, as the range's other bound is`;
      problems.push({ pointer: at, message });
    } else kind = kindOf(value);
  }
  if (kind === null || problems.length > 0) return {};
  const whole = kindBounds(kind);
  let from: RangeBound = { value: whole.from, inclusive: true };
  let to: RangeBound = { value: whole.to, inclusive: false };
  const bound = (op: RangeOperator) => encodeScalar(range[op] as JsonScalar);
  if ("gt" in range) from = tighterFrom(from, { value: bound("gt"), inclusive: false });
  if ("gte" in range) from = tighterFrom(from, { value: bound("gte"), inclusive: true });
  if ("lt" in range) to = tighterTo(to, { value: bound("lt"), inclusive: false });
  if ("lte" in range) to = tighterTo(to, { value: bound("lte"), inclusive: true });
  if (typeof range.beginsWith === "string") {
    from = tighterFrom(from, { value: encodeScalar(range.beginsWith), inclusive: true });
    to = tighterTo(to, { value: prefixEnd(range.beginsWith), inclusive: false });
  }
  return { from, to };
}

function tighterFrom(a: RangeBound, b: RangeBound): RangeBound {
  const c = compareBytes(a.value, b.value);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function tighterTo(a: RangeBound, b: RangeBound): RangeBound {
  const c = compareBytes(a.value, b.value);
  if (c !== 0) return c < 0 ? a : b;
  return a.inclusive ? b : a;
}
