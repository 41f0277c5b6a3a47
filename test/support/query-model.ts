// The model behind test/indexes/model*.test.ts: random documents and writes for an indexed type,
// RFC 7396 and RFC 6902 applied in memory, and what a query must answer as the README's Queries
// section states it (sparse, the order of values, ranges within a kind, ties broken by id).
import fc from "fast-check";
import { expect } from "vitest";
import { type QueryBody, query } from "./indexes";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Scalar = null | boolean | number | string;

// ---------------- values ----------------

export const SCALARS: Scalar[] = [
  null,
  false,
  true,
  0,
  -1,
  1,
  0.1,
  -2.5,
  1e300,
  -1e300,
  5e-324,
  -5e-324,
  9007199254740992,
  1e21,
  "",
  "a",
  "A",
  "ab",
  "a\u0000",
  "\u0000",
  "é",
  "\u00ff",
  "\uffff",
  "\ue000",
  "😀",
  "😀x",
  "\ud800",
  "\udc00",
  "\ud83d",
  "\ud83dx",
  "10",
  "9",
  "true",
  "null",
];
export const KEYS: Scalar[] = [null, true, 1, "1", "a", "\ud800", "😀", 0.1];
export const scalar = fc.constantFrom(...SCALARS);
export const keyValue = fc.constantFrom(...KEYS);
/** A field: mostly a scalar, sometimes a value the index leaves out (sparse). */
export const field = (v: fc.Arbitrary<Scalar>): fc.Arbitrary<Json | undefined> =>
  fc.oneof(
    { weight: 8, arbitrary: v as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<Json>([1], {}, { a: 1 }, []) },
  );

export const doc = fc
  .record({
    s: field(scalar),
    mKind: fc.constantFrom("object", "object", "object", "missing", "scalar"),
    k: field(keyValue),
    arr: fc.oneof(fc.constant(undefined), fc.array(field(scalar), { minLength: 0, maxLength: 2 })),
    n: fc.nat(3),
  })
  .map(({ s, mKind, k, arr, n }) => {
    const d: { [k: string]: Json } = { n };
    if (mKind === "object") d.m = s === undefined ? {} : { s };
    else if (mKind === "scalar") d.m = "flat";
    if (k !== undefined) d.k = { "a/b": k };
    if (arr !== undefined) d.arr = arr.map((v) => (v === undefined ? "gap" : v));
    return d;
  });

export const mergeP = fc.oneof(
  scalar.map((s) => ({ m: { s } })),
  fc.constant({ m: null }),
  fc.constant({ m: "flat" }),
  keyValue.map((k) => ({ k: { "a/b": k } })),
  fc.constant({ k: null }),
  fc.tuple(scalar, scalar).map(([a, b]) => ({ arr: [a, b] })),
  fc.constant({ arr: null }),
  fc.nat(3).map((n) => ({ n, extra: { x: [n] } })),
  // Not an object: RFC 7396 replaces the whole document with it (rare, so documents stay indexed).
  fc.constantFrom<Json>(["not", "an", "object"], "text", 7),
);

export const jpOp = fc.oneof(
  scalar.map((value) => ({ op: "replace", path: "/m/s", value })),
  scalar.map((value) => ({ op: "add", path: "/m/s", value })),
  fc.constant({ op: "remove", path: "/m/s" }),
  scalar.map((value) => ({ op: "add", path: "/arr/0", value })),
  scalar.map((value) => ({ op: "add", path: "/arr/-", value })),
  fc.constant({ op: "remove", path: "/arr/0" }),
  fc.nat(3).map((value) => ({ op: "test", path: "/n", value })),
  fc.constant({ op: "move", from: "/m/s", path: "/arr/0" }),
  fc.constant({ op: "copy", from: "/k/a~1b", path: "/m/s" }),
  keyValue.map((k) => ({ op: "add", path: "/k", value: { "a/b": k } })),
  fc.constant({ op: "add", path: "/m", value: {} }),
  // The root: the whole document replaced, moved out of a member, or copied from one.
  scalar.map((s) => ({ op: "replace", path: "", value: { m: { s }, n: 1, run: "?" } })),
  fc.constant({ op: "move", from: "/m", path: "" }),
  fc.constant({ op: "copy", from: "/k", path: "" }),
  fc.constant({ op: "add", path: "/m/s", value: { nested: true } }),
);
export const jsonP = fc.array(jpOp, { minLength: 1, maxLength: 3 });

export type Cond = "none" | "current" | "stale";
export const cond = fc.constantFrom<Cond>("none", "none", "none", "none", "current", "current", "stale");

export type Write =
  | { kind: "put"; body: { [k: string]: Json }; cond: Cond }
  | { kind: "merge"; patch: Json; cond: Cond }
  | { kind: "json"; patch: Json[]; cond: Cond }
  | { kind: "delete"; cond: Cond };
export const write: fc.Arbitrary<Write> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("put" as const), body: doc, cond }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("merge" as const), patch: mergeP, cond }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("json" as const), patch: jsonP, cond }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), cond }) },
);

export const ID_SUFFIXES = ["A", "a", "_", "~", "0"];
export type Step =
  | { kind: "single"; id: number; w: Write }
  | { kind: "tx"; ops: { id: number; w: Write | "check" }[] };
export const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("single" as const),
      id: fc.nat(ID_SUFFIXES.length - 1),
      w: write,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.nat(ID_SUFFIXES.length - 1), { minLength: 1, maxLength: 3 })
      .chain((ids) =>
        fc.tuple(...ids.map((id) => fc.oneof(write, fc.constant("check" as const)).map((w) => ({ id, w })))),
      )
      .map((ops) => ({ kind: "tx" as const, ops })),
  },
);

// ---------------- the model: RFC 7396, RFC 6902, the README's index rules ----------------

export const clone = <T>(v: T): T => structuredClone(v);
export const isObj = (v: unknown): v is { [k: string]: Json } =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function mergeApply(target: Json | undefined, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: { [k: string]: Json } = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeApply(out[k], v);
  }
  return out;
}

export const tokens = (p: string) =>
  p
    .split("/")
    .slice(1)
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
export const jsonEq = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEq(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEq(a[k], b[k]));
  }
  return a === b;
};
export class PatchError extends Error {}
export function parentOf(d: Json, p: string): { parent: Json; last: string } {
  const t = tokens(p);
  let here: Json = d;
  for (const tok of t.slice(0, -1)) {
    if (Array.isArray(here) && /^(0|[1-9][0-9]*)$/.test(tok) && Number(tok) < here.length)
      here = here[Number(tok)]!;
    else if (isObj(here) && Object.hasOwn(here, tok)) here = here[tok]!;
    else throw new PatchError(p);
  }
  return { parent: here, last: t.at(-1)! };
}
export function getAt(d: Json, p: string): Json {
  const { parent, last } = parentOf(d, p);
  if (Array.isArray(parent) && /^(0|[1-9][0-9]*)$/.test(last) && Number(last) < parent.length)
    return parent[Number(last)]!;
  if (isObj(parent) && Object.hasOwn(parent, last)) return parent[last]!;
  throw new PatchError(p);
}
export function addAt(d: Json, p: string, v: Json) {
  const { parent, last } = parentOf(d, p);
  if (Array.isArray(parent)) {
    if (last === "-") parent.push(v);
    else if (/^(0|[1-9][0-9]*)$/.test(last) && Number(last) <= parent.length)
      parent.splice(Number(last), 0, v);
    else throw new PatchError(p);
  } else if (isObj(parent)) parent[last] = v;
  else throw new PatchError(p);
}
export function removeAt(d: Json, p: string): Json {
  const v = getAt(d, p);
  const { parent, last } = parentOf(d, p);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as { [k: string]: Json })[last];
  return v;
}
export function jsonPatchApply(d: Json, ops: Json[]): Json {
  let out = clone(d);
  for (const o of ops as { op: string; path: string; from?: string; value?: Json }[]) {
    if (o.path === "") {
      // RFC 6902 at the root: add and replace set the whole document; move and copy make it the value at from.
      if (o.op === "add" || o.op === "replace") out = clone(o.value!);
      else if (o.op === "move") out = removeAt(out, o.from!);
      else if (o.op === "copy") out = clone(getAt(out, o.from!));
      else if (o.op === "test") {
        if (!jsonEq(out, o.value)) throw new PatchError("test");
      } else throw new PatchError("root");
    } else if (o.op === "add") addAt(out, o.path, clone(o.value!));
    else if (o.op === "remove") removeAt(out, o.path);
    else if (o.op === "replace") {
      getAt(out, o.path);
      removeAt(out, o.path);
      addAt(out, o.path, clone(o.value!));
    } else if (o.op === "test") {
      if (!jsonEq(getAt(out, o.path), o.value)) throw new PatchError("test");
    } else if (o.op === "move") addAt(out, o.path, removeAt(out, o.from!));
    else if (o.op === "copy") addAt(out, o.path, clone(getAt(out, o.from!)));
  }
  return out;
}

export interface Entity {
  doc: Json | undefined;
  version: number;
}
export type Model = Map<number, Entity>;

/** What the write makes of the entity, or the reason it is refused (nothing changes then). */
export function decide(e: Entity, w: Write | "check"): { ok: true; doc: Json | undefined } | { ok: false } {
  const exists = e.doc !== undefined;
  if (w === "check") return { ok: true, doc: e.doc };
  if (w.cond === "current" && !exists) return { ok: false }; // If-Match: * on a missing entity
  if (w.cond === "stale") return { ok: false };
  if (w.kind === "put") return { ok: true, doc: clone(w.body) };
  if (!exists) return { ok: false };
  if (w.kind === "delete") return { ok: true, doc: undefined };
  if (w.kind === "merge") return { ok: true, doc: mergeApply(e.doc, w.patch) };
  try {
    return { ok: true, doc: jsonPatchApply(e.doc!, w.patch) };
  } catch (err) {
    if (err instanceof PatchError) return { ok: false };
    throw err;
  }
}

export const kindOf = (v: Scalar) =>
  v === null ? 0 : typeof v === "boolean" ? 1 : typeof v === "number" ? 2 : 3;
export const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
export const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
export function compare(a: Scalar, b: Scalar): number {
  if (kindOf(a) !== kindOf(b)) return kindOf(a) - kindOf(b);
  if (typeof a === "boolean") return Number(a) - Number(b);
  if (typeof a === "number") return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === "string") {
    const x = codePoints(a);
    const y = codePoints(b as string);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  }
  return 0;
}
export function valueAt(d: Json | undefined, p: string): Json | undefined {
  if (d === undefined) return undefined;
  try {
    return getAt(d, p);
  } catch {
    return undefined;
  }
}

export interface IndexSpec {
  name: string;
  keys: string[];
  sort: string | null;
}
export const INDEXES: IndexSpec[] = [
  { name: "by-s", keys: ["/run"], sort: "/m/s" },
  { name: "by-k", keys: ["/run", "/k/a~1b"], sort: "/arr/0" },
  { name: "by-k-id", keys: ["/run", "/k/a~1b"], sort: null },
];

export type Range = Partial<Record<"gt" | "gte" | "lt" | "lte" | "beginsWith", Scalar>>;
export function inRange(v: Scalar, r: Range | undefined): boolean {
  if (!r) return true;
  const bound = Object.values(r)[0]!;
  if (kindOf(v) !== kindOf(bound)) return false;
  if (r.gt !== undefined && !(compare(v, r.gt) > 0)) return false;
  if (r.gte !== undefined && !(compare(v, r.gte) >= 0)) return false;
  if (r.lt !== undefined && !(compare(v, r.lt) < 0)) return false;
  if (r.lte !== undefined && !(compare(v, r.lte) <= 0)) return false;
  if (r.beginsWith !== undefined) {
    const p = codePoints(r.beginsWith as string);
    const s = codePoints(v as string);
    if (p.length > s.length || p.some((c, i) => s[i] !== c)) return false;
  }
  return true;
}

export interface Expected {
  id: string;
  version: number;
  sort?: Scalar;
  body?: Json;
}
export function expectedItems(
  model: Map<string, Entity>,
  index: IndexSpec,
  where: Record<string, Scalar>,
  range: Range | undefined,
  order: "asc" | "desc",
  documents: boolean,
): Expected[] {
  const hits: Expected[] = [];
  for (const [id, e] of model) {
    if (e.doc === undefined) continue;
    const keys = index.keys.map((k) => valueAt(e.doc, k));
    if (!keys.every(isScalar)) continue;
    if (
      !index.keys.every(
        (k, i) =>
          kindOf(keys[i] as Scalar) === kindOf(where[k]!) && compare(keys[i] as Scalar, where[k]!) === 0,
      )
    )
      continue;
    let sort: Scalar | undefined;
    if (index.sort !== null) {
      const s = valueAt(e.doc, index.sort);
      if (!isScalar(s)) continue;
      if (!inRange(s, range)) continue;
      sort = s;
    }
    hits.push({
      id,
      version: e.version,
      ...(sort !== undefined ? { sort } : {}),
      ...(documents ? { body: e.doc } : {}),
    });
  }
  hits.sort(
    (a, b) =>
      (a.sort === undefined ? 0 : compare(a.sort, b.sort!)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  if (order === "desc") hits.reverse();
  return hits;
}

// ---------------- queries ----------------

export interface QSpec {
  index: number;
  k: Scalar;
  range: "none" | "gt" | "gte" | "lt" | "lte" | "between" | "prefix" | "prefix-gt";
  a: Scalar;
  b: Scalar;
  order: "asc" | "desc";
  limit: number;
  documents: boolean;
  fromData: boolean;
  n: number;
}
export const qspec: fc.Arbitrary<QSpec> = fc.record({
  index: fc.nat(2),
  k: keyValue,
  range: fc.constantFrom("none", "none", "none", "gt", "gte", "lt", "lte", "between", "prefix", "prefix-gt"),
  a: scalar,
  b: scalar,
  order: fc.constantFrom("asc", "desc"),
  limit: fc.constantFrom(1, 1, 2, 3, 50),
  documents: fc.boolean(),
  fromData: fc.boolean(),
  n: fc.nat(50),
});
export function rangeOf(q: QSpec): Range | undefined {
  const str = (v: Scalar) => (typeof v === "string" ? v : String(v));
  switch (q.range) {
    case "none":
      return undefined;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return { [q.range]: q.a };
    case "between": {
      const b = kindOf(q.a) === kindOf(q.b) ? q.b : q.a;
      return { gte: q.a, lt: b };
    }
    case "prefix":
      return { beginsWith: [...str(q.a)].slice(0, 1).join("") };
    case "prefix-gt":
      return { beginsWith: [...str(q.a)].slice(0, 1).join(""), gt: str(q.b) };
  }
}

export async function pageAll(type: string, index: string, body: QueryBody) {
  const items: Expected[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await query(type, index, { ...body, cursor });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const p = JSON.parse(text) as { items: (Expected & { updatedAt: string })[]; cursor: string | null };
    expect(p.items.length).toBeLessThanOrEqual(body.limit ?? 100);
    for (const { updatedAt: _u, ...rest } of p.items) items.push(rest);
    cursor = p.cursor;
    if (++pages > 200) throw new Error("paging never ended");
  } while (cursor !== null);
  return { items, pages };
}

export const ifMatchHeader = (e: Entity, c: Cond): Record<string, string> =>
  c === "none"
    ? {}
    : c === "current"
      ? { "If-Match": e.doc === undefined ? "*" : `"${e.version}"` }
      : { "If-Match": `"${e.version + 7}"` };
