// A query equals a brute-force filter of the same documents: fast-check writes, deletes and
// expires random documents (every scalar kind at the key and sort pointers, and documents that
// lack them or hold arrays and objects there), then runs random queries and compares each with a
// filter over its own model of what should be live.
import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock, useClock } from "../support/clock";
import { type EntityRef, entityObject, newType, put, remove } from "../support/entities";
import { all, buildToEnd, defineIndex, delivered, type QueryBody } from "../support/indexes";
import type { Scalar } from "../support/query-arbitraries";
import { codePoints, compare, isScalar, kindOf } from "../support/query-model";

type Doc = { run: string; c?: unknown; s?: unknown; n: number };

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(-2.5, -1, 0, 1, 3, 1e21),
  fc.constantFrom("", "a", "ab", "b", "é", "\ud800", "😀"),
);
/** Key values from a small pool, so documents share them and queries find several. */
const key: fc.Arbitrary<Scalar> = fc.constantFrom(null, true, 1, "a", "\ud800");
/** What a key or sort field holds: a scalar, nothing, or something an index leaves out. */
const field = (values: fc.Arbitrary<Scalar>) =>
  fc.oneof(
    { weight: 6, arbitrary: values },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom([1], { a: 1 }) },
  );

type Op =
  | { kind: "put"; id: number; c: unknown; s: unknown; ttl: boolean }
  | { kind: "delete"; id: number }
  | { kind: "expire"; id: number };

const ID_COUNT = 5;
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("put" as const),
      id: fc.nat(ID_COUNT - 1),
      c: field(key),
      s: field(scalar),
      ttl: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), id: fc.nat(ID_COUNT - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire" as const), id: fc.nat(ID_COUNT - 1) }) },
);

/** A query, resolved against the values the run wrote: its key value and its bounds are picked from them. */
interface QuerySpec {
  where: number;
  range: "none" | "from" | "to" | "between" | "prefix";
  lower: "gt" | "gte";
  upper: "lt" | "lte";
  a: number;
  b: number;
  order: "asc" | "desc";
  limit: number;
}
const querySpec: fc.Arbitrary<QuerySpec> = fc.record({
  where: fc.nat(20),
  range: fc.constantFrom("none", "from", "to", "between", "prefix"),
  lower: fc.constantFrom("gt", "gte"),
  upper: fc.constantFrom("lt", "lte"),
  a: fc.nat(20),
  b: fc.nat(20),
  order: fc.constantFrom("asc", "desc"),
  limit: fc.constantFrom(1, 2, 100),
});

function resolve(
  spec: QuerySpec,
  keys: Scalar[],
  sorts: Scalar[],
): { where: Scalar; range?: Record<string, Scalar> } {
  const where = keys[spec.where % keys.length]!;
  const a = sorts[spec.a % sorts.length]!;
  const b = sorts[spec.b % sorts.length]!;
  switch (spec.range) {
    case "none":
      return { where };
    case "from":
      return { where, range: { [spec.lower]: a } };
    case "to":
      return { where, range: { [spec.upper]: b } };
    case "between":
      return kindOf(a) === kindOf(b)
        ? { where, range: { [spec.lower]: a, [spec.upper]: b } }
        : { where, range: { [spec.lower]: a } };
    case "prefix":
      return { where, range: { beginsWith: typeof a === "string" ? [...a].slice(0, 1).join("") : "" } };
  }
}

// ---- the brute force: the documented rules, written apart from the implementation (the order
// of values is the query model's, test/support/query-model.ts) ----

function inRange(v: Scalar, r: Record<string, Scalar> | undefined): boolean {
  if (!r) return true;
  const bound = Object.values(r)[0]!;
  if (kindOf(v) !== kindOf(bound)) return false;
  if ("gt" in r && !(compare(v, r.gt!) > 0)) return false;
  if ("gte" in r && !(compare(v, r.gte!) >= 0)) return false;
  if ("lt" in r && !(compare(v, r.lt!) < 0)) return false;
  if ("lte" in r && !(compare(v, r.lte!) <= 0)) return false;
  if ("beginsWith" in r) {
    const p = codePoints(r.beginsWith as string);
    const s = codePoints(v as string);
    if (p.length > s.length || p.some((c, i) => s[i] !== c)) return false;
  }
  return true;
}
/** `where` undefined: the index keyed by run alone, where the key field plays no part. */
function expected(
  model: Map<number, Doc>,
  where: Scalar | undefined,
  r: Record<string, Scalar> | undefined,
  order: "asc" | "desc",
) {
  const keyed = (d: Doc) =>
    where === undefined || (isScalar(d.c) && kindOf(d.c) === kindOf(where) && compare(d.c, where) === 0);
  const hits = [...model.entries()].filter(([, d]) => keyed(d) && isScalar(d.s) && inRange(d.s, r));
  hits.sort(([a, x], [b, y]) => compare(x.s as Scalar, y.s as Scalar) || (`i${a}` < `i${b}` ? -1 : 1));
  if (order === "desc") hits.reverse();
  return hits.map(([id]) => `i${id}`);
}

describe("a query equals a brute-force filter of the documents", () => {
  const type = newType("p");
  beforeAll(async () => {
    expect((await defineIndex(type, "by-c", { keys: ["/run", "/c"], sort: "/s" })).status).toBe(201);
    expect((await defineIndex(type, "by-run", { keys: ["/run"], sort: "/s" })).status).toBe(201);
    await buildToEnd(type, "by-c");
    await buildToEnd(type, "by-run");
  });

  it("over random writes, deletes and expiries", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 14 }),
        fc.array(querySpec, { minLength: 4, maxLength: 8 }),
        async (ops, queries) => {
          const run = `r${runs++}`;
          const refs = Array.from(
            { length: ID_COUNT },
            (_, i): EntityRef => ({
              tenant: "default",
              type,
              id: `${run}-i${i}`,
              path: `/v1/entities/${type}/${run}-i${i}`,
            }),
          );
          const model = new Map<number, Doc>();
          const clocks = new Map<number, ManualClock>();
          for (const o of ops) {
            const ref = refs[o.id]!;
            if (o.kind === "put") {
              const doc: Doc = { run, n: model.size };
              if (o.c !== undefined) doc.c = o.c;
              if (o.s !== undefined) doc.s = o.s;
              const res = await put(ref, doc, {}, o.ttl ? "?ttl=3600" : "");
              expect(res.status).toBeLessThan(300);
              model.set(o.id, doc);
            } else if (o.kind === "delete") {
              const res = await remove(ref);
              expect([204, 404]).toContain(res.status);
              model.delete(o.id);
            } else {
              // The entity's time moves past the expiry of anything written before: a TTL'd document is gone.
              let clock = clocks.get(o.id);
              if (clock) clock.advance(3_601_000);
              else {
                clock = new ManualClock(Date.now() + 3_601_000);
                clocks.set(o.id, clock);
                await useClock(entityObject(ref), clock);
              }
              await runDurableObjectAlarm(entityObject(ref));
              if (model.has(o.id) && lastPutHadTtl(ops, o)) model.delete(o.id);
            }
          }
          await delivered(refs);
          const written = ops.flatMap((o) => (o.kind === "put" ? [o] : []));
          const keys = [...written.map((o) => o.c).filter(isScalar), "none-such"];
          const sorts = [...written.map((o) => o.s).filter(isScalar), 0, "a"];
          for (const spec of queries) {
            const { where, range } = resolve(spec, keys, sorts);
            const body: QueryBody = {
              where: { "/run": run, "/c": where },
              order: spec.order,
              limit: spec.limit,
            };
            if (range) body.range = range;
            const ids = (await all(type, "by-c", body)).map((i) => i.id.slice(run.length + 1));
            expect(ids, JSON.stringify({ ops, body })).toEqual(expected(model, where, range, spec.order));
            const wide = { ...body, where: { "/run": run } };
            const every = (await all(type, "by-run", wide)).map((i) => i.id.slice(run.length + 1));
            expect(every, JSON.stringify({ ops, wide })).toEqual(
              expected(model, undefined, range, spec.order),
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** Whether the last put of `o.id` before the expiry `o` carried a ttl (and so has expired). */
function lastPutHadTtl(ops: Op[], o: Op): boolean {
  const before = ops.slice(0, ops.indexOf(o));
  for (let i = before.length - 1; i >= 0; i--) {
    const p = before[i]!;
    if (p.id !== o.id) continue;
    if (p.kind === "put") return p.ttl;
    if (p.kind === "delete") return false;
  }
  return false;
}
