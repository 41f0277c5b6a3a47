import type { FilterExpression, FilterOperand, Segment, Selector } from "./json-path-ast.ts";

// Evaluation over plain JSON values. Results keep Jayway's order: a deep scan visits a node
// before its children, and a union yields its selectors' matches in the order written.

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function evaluateSegments(root: unknown, start: unknown, segments: readonly Segment[]): unknown[] {
  let nodes: unknown[] = [start];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const targets = segment.descendant ? selfAndDescendants(node) : [node];
      for (const target of targets) {
        for (const selector of segment.selectors) applySelector(root, target, selector, next);
      }
    }
    nodes = next;
  }
  return nodes;
}

function selfAndDescendants(node: unknown): unknown[] {
  const out: unknown[] = [];
  const visit = (value: unknown): void => {
    out.push(value);
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(node);
  return out;
}

function applySelector(root: unknown, node: unknown, selector: Selector, out: unknown[]): void {
  switch (selector.kind) {
    case "name":
      if (isObject(node) && Object.hasOwn(node, selector.name)) out.push(node[selector.name]);
      return;
    case "index":
      if (Array.isArray(node)) {
        const index = selector.index < 0 ? node.length + selector.index : selector.index;
        if (index >= 0 && index < node.length) out.push(node[index]);
      }
      return;
    case "wildcard":
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case "slice":
      if (Array.isArray(node)) out.push(...slice(node, selector.start, selector.end, selector.step));
      return;
    case "filter":
      // Jayway tests each element of an array, and an object as a whole.
      if (Array.isArray(node)) {
        for (const item of node) if (test(root, item, selector.expression)) out.push(item);
      } else if (isObject(node) && test(root, node, selector.expression)) {
        out.push(node);
      }
      return;
  }
}

function slice(array: readonly unknown[], start: number | null, end: number | null, step: number | null) {
  const len = array.length;
  const by = step ?? 1;
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const norm = (value: number) => (value < 0 ? value + len : value);
  const out: unknown[] = [];
  if (by > 0) {
    const from = clamp(norm(start ?? 0), 0, len);
    const to = clamp(norm(end ?? len), 0, len);
    for (let i = from; i < to; i += by) out.push(array[i]);
  } else {
    const from = clamp(norm(start ?? len - 1), -1, len - 1);
    const to = end === null ? -1 : clamp(norm(end), -1, len - 1);
    for (let i = from; i > to; i += by) out.push(array[i]);
  }
  return out;
}

function test(root: unknown, current: unknown, expression: FilterExpression): boolean {
  switch (expression.kind) {
    case "or":
      return test(root, current, expression.left) || test(root, current, expression.right);
    case "and":
      return test(root, current, expression.left) && test(root, current, expression.right);
    case "not":
      return !test(root, current, expression.operand);
    case "exists":
      return resolve(root, current, expression.operand).length > 0;
    case "compare":
      return compare(root, current, expression);
  }
}

function resolve(root: unknown, current: unknown, operand: FilterOperand): unknown[] {
  if (operand.kind === "literal") return [operand.value];
  if (operand.kind === "regex") return [];
  return evaluateSegments(root, operand.root === "@" ? current : root, operand.segments);
}

function compare(root: unknown, current: unknown, expr: FilterExpression & { kind: "compare" }): boolean {
  const lefts = resolve(root, current, expr.left);
  const left = lefts[0];
  if (expr.op === "=~") {
    if (expr.right.kind !== "regex" || typeof left !== "string") return false;
    return new RegExp(expr.right.source, expr.right.flags).test(left);
  }
  const rights = resolve(root, current, expr.right);
  const leftFound = lefts.length > 0;
  // A missing operand (empty node list) equals only another missing one, as RFC 9535 defines;
  // ordering comparisons with it are false.
  if (!leftFound || rights.length === 0) {
    const equal = !leftFound && rights.length === 0;
    return expr.op === "==" ? equal : expr.op === "!=" ? !equal : false;
  }
  const right = rights[0];
  switch (expr.op) {
    case "==":
      return deepEqual(left, right);
    case "!=":
      return !deepEqual(left, right);
    default:
      return ordered(left, right, expr.op);
  }
}

function ordered(left: unknown, right: unknown, op: "<" | "<=" | ">" | ">="): boolean {
  const comparable =
    (typeof left === "number" && typeof right === "number") ||
    (typeof left === "string" && typeof right === "string");
  if (!comparable) return false;
  const l = left as number | string;
  const r = right as number | string;
  if (op === "<") return l < r;
  if (op === "<=") return l <= r;
  if (op === ">") return l > r;
  return l >= r;
}

/** Structural equality of JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
