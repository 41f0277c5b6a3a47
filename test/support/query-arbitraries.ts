// Random documents, values and writes for an indexed type (test/indexes/model*.test.ts), chosen
// to sort wrongly under the wrong rule; test/support/query-model.ts is what they must give.
import fc from "fast-check";

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
