// The README's promises about queries over time, each checked against the model of
// test/support/query-model.ts: paging while writes go on between pages, an index built over data
// that already exists (and written during the build), an index dropped and defined again, a
// unique index under concurrent writers of every kind, and a query right after a write.
import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { api, json } from "../support/api";
import { type EntityRef, jsonPatch, mergePatch, newType, put, read, remove } from "../support/entities";
import {
  all,
  buildToEnd,
  catalogObject,
  defineIndex,
  delivered,
  page,
  type QueryItem,
  query,
  statusOf,
} from "../support/indexes";
import { expectProblem } from "../support/problem";
import { doc, type Json, type Scalar, scalar, write } from "../support/query-arbitraries";
import {
  compare,
  decide,
  type Entity,
  expectedItems,
  type IndexSpec,
  ifMatchHeader,
  sendWrite,
} from "../support/query-model";
import { transact } from "../support/transactions";

const refOf = (type: string, id: string): EntityRef => ({
  tenant: "default",
  type,
  id,
  path: `/v1/entities/${type}/${id}`,
});

/** A single write through the API, checked against the model's decision; the model follows. */
async function applyWrite(
  ref: EntityRef,
  e: Entity,
  w: Parameters<typeof decide>[1],
  extra: Record<string, Json>,
) {
  if (w === "check") return;
  const d = decide(e, w);
  const res = await sendWrite(ref, w, ifMatchHeader(e, w.cond), extra);
  const text = await res.text();
  if (d.ok) {
    expect(res.status, text).toBeLessThan(300);
    e.doc = d.doc === undefined ? undefined : w.kind === "put" ? { ...(d.doc as object), ...extra } : d.doc;
    e.version++;
  } else expect(res.status, text).toBeGreaterThanOrEqual(400);
}

const ids = (items: QueryItem[]) => items.map((i) => i.id);

describe("paging while writes go on between pages", () => {
  const type = newType("mp");
  const index: IndexSpec = { name: "by-g", keys: ["/g"], sort: "/s" };

  it("returns every entity that matched throughout with its sort value once, in order, each page exactly the index past the cursor", async () => {
    await defineIndex(type, index.name, { keys: index.keys, sort: index.sort });
    await buildToEnd(type, index.name);
    let runs = 0;
    const stats = { runs: 0, pages: 0, writes: 0, stableChecked: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(scalar, { minLength: 6, maxLength: 10 }),
        fc.constantFrom<"asc" | "desc">("asc", "desc"),
        fc.constantFrom(1, 2, 3),
        fc.array(
          fc.record({
            kind: fc.constantFrom("new", "touch", "delete", "move", "leave", "other"),
            who: fc.nat(20),
            s: scalar,
          }),
          { minLength: 4, maxLength: 12 },
        ),
        async (sorts, order, limit, writes) => {
          const g = `g${runs++}`;
          stats.runs++;
          const model = new Map<string, Entity>();
          const unstable = new Set<string>();
          let next = 0;
          const newId = () => `${g}-${String.fromCharCode(65 + (next % 26))}${next++}`;
          for (const s of sorts) {
            const id = newId();
            const e: Entity = { doc: undefined, version: 0 };
            model.set(id, e);
            await applyWrite(refOf(type, id), e, { kind: "put", body: { g, s, note: 0 }, cond: "none" }, {});
          }
          const initial = new Set(model.keys());
          await delivered([...model.keys()].map((id) => refOf(type, id)));
          const seen: QueryItem[] = [];
          let cursor: string | null = null;
          let w = 0;
          let last: QueryItem | undefined;
          for (let round = 0; round < 100; round++) {
            const p = await page(type, index.name, { where: { "/g": g }, order, limit, cursor });
            stats.pages++;
            // Exactly what the index holds strictly past the last item returned (every write delivered).
            const past = expectedItems(model, index, { "/g": g }, undefined, order, false).filter(
              (x) => last === undefined || position(x, last, order) > 0,
            );
            expect(ids(p.items), JSON.stringify({ round, past, cursor })).toEqual(
              past.slice(0, limit).map((x) => x.id),
            );
            seen.push(...p.items);
            if (p.items.length > 0) last = p.items.at(-1);
            cursor = p.cursor;
            if (cursor === null) break;
            // Between pages, a write or two.
            for (const x of writes.slice(w, w + 2)) {
              stats.writes++;
              const live = [...model.entries()].filter(([, e]) => e.doc !== undefined);
              const [id, e] = live[x.who % Math.max(1, live.length)] ?? [
                newId(),
                { doc: undefined, version: 0 },
              ];
              if (x.kind === "new" || live.length === 0) {
                const nid = newId();
                const ne: Entity = { doc: undefined, version: 0 };
                model.set(nid, ne);
                await applyWrite(
                  refOf(type, nid),
                  ne,
                  { kind: "put", body: { g, s: x.s, note: 0 }, cond: "none" },
                  {},
                );
              } else if (x.kind === "touch") {
                await applyWrite(
                  refOf(type, id),
                  e,
                  { kind: "merge", patch: { note: x.who }, cond: "none" },
                  {},
                );
              } else if (x.kind === "delete") {
                unstable.add(id);
                await applyWrite(refOf(type, id), e, { kind: "delete", cond: "none" }, {});
              } else if (x.kind === "move") {
                unstable.add(id);
                await applyWrite(refOf(type, id), e, { kind: "merge", patch: { s: x.s }, cond: "none" }, {});
              } else if (x.kind === "leave") {
                unstable.add(id);
                await applyWrite(
                  refOf(type, id),
                  e,
                  { kind: "merge", patch: { g: `${g}-elsewhere` }, cond: "none" },
                  {},
                );
              } else {
                const oid = `${g}-other${next++}`;
                await put(refOf(type, oid), { g: `${g}-other`, s: x.s });
              }
            }
            w += 2;
            await delivered([...model.keys()].map((id) => refOf(type, id)));
          }
          expect(cursor).toBeNull();
          // Keyset order: each item strictly past the one before, whatever moved.
          for (let i = 1; i < seen.length; i++)
            expect(position(seen[i]!, seen[i - 1]!, order)).toBeGreaterThan(0);
          for (const id of initial) {
            if (unstable.has(id)) continue;
            stats.stableChecked++;
            expect(seen.filter((s) => s.id === id).length, id).toBe(1);
          }
        },
      ),
      { numRuns: 25, seed: 4242, endOnFailure: true },
    );
    console.log("paging", JSON.stringify(stats));
  }, 120_000);
});

/** > 0 when `a` comes after `b` in the query's order (sort value, then id). */
function position(
  a: { id: string; sort?: unknown },
  b: { id: string; sort?: unknown },
  order: "asc" | "desc",
): number {
  const c = compare(a.sort as Scalar, b.sort as Scalar) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === "asc" ? c : -c;
}

/** Every query the model can check without a range: each key value written, both orders, paged by 2. */
async function agree(type: string, index: IndexSpec, model: Map<string, Entity>, run: string) {
  const keyValues: Scalar[] = [null, true, 1, "1", "a", "\ud800", "😀", 0.1];
  const wheres =
    index.keys.length === 1
      ? [{ "/run": run }]
      : keyValues.map((k) => ({ "/run": run, [index.keys[1]!]: k }));
  let hits = 0;
  for (const where of wheres) {
    for (const order of ["asc", "desc"] as const) {
      const got = await all(type, index.name, { where, order, limit: 2, include: "documents" });
      const want = expectedItems(model, index, where as Record<string, Scalar>, undefined, order, true);
      hits += want.length;
      expect(
        got.map(({ updatedAt: _u, ...rest }) => rest),
        JSON.stringify({ index, where, order }),
      ).toEqual(want);
    }
  }
  return hits;
}

/** Random writes to the run's entities, the model following. */
async function randomWrites(
  type: string,
  run: string,
  model: Map<string, Entity>,
  writes: { who: number; w: Parameters<typeof decide>[1] }[],
) {
  const idsOf = [...model.keys()];
  for (const { who, w } of writes) {
    const id = idsOf[who % idsOf.length]!;
    await applyWrite(refOf(type, id), model.get(id)!, w, { run });
  }
}

const writesArb = fc.array(fc.record({ who: fc.nat(7), w: write }), { minLength: 2, maxLength: 6 });

describe("an index built over existing data, dropped and defined again", () => {
  it("holds what the model holds after a build with writes between its steps, a drop, and a new definition under the name", async () => {
    const stats = { runs: 0, buildSteps: 0, writes: 0, hits: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { minLength: 8, maxLength: 8 }),
        fc.array(writesArb, { minLength: 6, maxLength: 6 }),
        async (firsts, batches) => {
          stats.runs++;
          const type = newType("mb");
          const run = "r";
          const model = new Map<string, Entity>(
            ["A", "a", "_", "~", "0", "Zz", "b-1", "b.2"].map((id) => [id, { doc: undefined, version: 0 }]),
          );
          for (const [i, id] of [...model.keys()].entries()) {
            await applyWrite(
              refOf(type, id),
              model.get(id)!,
              { kind: "put", body: firsts[i]!, cond: "none" },
              { run },
            );
          }
          const everyRef = () => [...model.keys()].map((id) => refOf(type, id));
          await delivered(everyRef());
          const bySort: IndexSpec = { name: "by-s", keys: ["/run"], sort: "/m/s" };
          const byK: IndexSpec = { name: "by-k", keys: ["/run", "/k/a~1b"], sort: "/arr/0" };
          let batch = 0;
          /** Define, then build step by step with a batch of writes between steps. */
          const build = async (spec: IndexSpec) => {
            const res = await defineIndex(type, spec.name, { keys: spec.keys, sort: spec.sort });
            expect(res.status, await res.text()).toBe(201);
            const early = await query(type, spec.name, {
              where: Object.fromEntries(spec.keys.map((k) => [k, run])),
            });
            if (early.status !== 200)
              expect((await expectProblem(early, 409)).detail).toMatch(/BUILDING|build/i);
            else await early.body?.cancel();
            for (let i = 0; i < 200; i++) {
              if ((await statusOf(type, spec.name)) === "ACTIVE") break;
              const b = batches[batch++ % batches.length]!;
              stats.writes += b.length;
              await randomWrites(type, run, model, b);
              await runDurableObjectAlarm(catalogObject(type));
              stats.buildSteps++;
            }
            expect(await statusOf(type, spec.name)).toBe("ACTIVE");
            await delivered(everyRef());
          };
          await build(bySort);
          await build(byK);
          stats.hits += await agree(type, bySort, model, run);
          stats.hits += await agree(type, byK, model, run);
          // Drop by-s; writes go on while it is gone; a new definition under the name sorts by /n.
          expect((await api("DELETE", `/v1/indexes/${type}/by-s`)).status).toBe(204);
          expect((await query(type, "by-s", { where: { "/run": run } })).status).toBe(404);
          await randomWrites(type, run, model, batches[0]!);
          await delivered(everyRef());
          const byN: IndexSpec = { name: "by-s", keys: ["/run"], sort: "/n" };
          await build(byN);
          stats.hits += await agree(type, byN, model, run);
          stats.hits += await agree(type, byK, model, run);
          // The live entry count is the model's.
          const described = await json<{ entries: number }>(await api("GET", `/v1/indexes/${type}/by-s`));
          expect(described.entries).toBe(
            expectedItems(model, byN, { "/run": run }, undefined, "asc", false).length,
          );
          // Dropped and defined again exactly as before: nothing of the first generation comes back.
          expect((await api("DELETE", `/v1/indexes/${type}/by-k`)).status).toBe(204);
          await randomWrites(type, run, model, batches[1]!);
          await delivered(everyRef());
          await build(byK);
          stats.hits += await agree(type, byK, model, run);
          // Dropped while BUILDING, with writes on both sides, and defined again otherwise.
          const first = await defineIndex(type, "by-t", { keys: ["/run"], sort: "/n" });
          expect(first.status, await first.text()).toBe(201);
          await randomWrites(type, run, model, batches[2]!);
          expect((await api("DELETE", `/v1/indexes/${type}/by-t`)).status).toBe(204);
          await randomWrites(type, run, model, batches[3]!);
          const byT: IndexSpec = { name: "by-t", keys: ["/run", "/k/a~1b"], sort: "/m/s" };
          await build(byT);
          stats.hits += await agree(type, byT, model, run);
          for (const [id, e] of model) {
            const r = await read(refOf(type, id));
            expect(r.body, id).toEqual(e.doc);
          }
        },
      ),
      { numRuns: 4, seed: 99, endOnFailure: true },
    );
    console.log("build", JSON.stringify(stats));
  }, 150_000);
});

const UNIQUE = "urn:edgestate:problem:unique-violation";
const CONFLICT = "urn:edgestate:problem:transaction-conflict";
const CANCELED = "urn:edgestate:problem:transaction-canceled";

describe("a unique index over two nested keys, against its model", () => {
  const uniq: IndexSpec = { name: "by-email", keys: ["/u/email", "/u/org"], sort: null };
  const EMAILS: Scalar[] = ["x", "X", "\ud800", "😀", null, 1, "1", true];
  const ORGS: Scalar[] = [null, "o"];
  const uval = fc.record({
    email: fc.constantFrom(...EMAILS),
    org: fc.constantFrom(...ORGS),
    drop: fc.nat(9),
  });
  /** A document: mostly in the index, sometimes outside it (no org, or an array there). */
  const udoc = (v: { email: Scalar; org: Scalar; drop: number }, n: number): Json =>
    v.drop === 0
      ? { u: { email: v.email }, n }
      : v.drop === 1
        ? { u: { email: [v.email], org: v.org }, n }
        : { u: { email: v.email, org: v.org }, n };
  const projection = (d: Json | undefined): Scalar[] | null => {
    const u = (d as { u?: { email?: unknown; org?: unknown } } | undefined)?.u;
    const vals = [u?.email, u?.org];
    return vals.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v)) &&
      u &&
      "email" in u &&
      "org" in u
      ? (vals as Scalar[])
      : null;
  };
  const same = (a: Scalar[] | null, b: Scalar[] | null) =>
    a !== null && b !== null && a.every((x, i) => compare(x, b[i]!) === 0 && typeof x === typeof b[i]);
  const holder = (model: Map<string, Entity>, id: string, d: Json | undefined) =>
    [...model].find(
      ([other, e]) => other !== id && e.doc !== undefined && same(projection(e.doc), projection(d)),
    )?.[0];

  it("refuses exactly the writes the model refuses, and under concurrent writers of every kind lets at most one hold a value, half-applying nothing", async () => {
    const type = newType("mu");
    expect((await defineIndex(type, uniq.name, { keys: uniq.keys, unique: true })).status).toBe(201);
    await buildToEnd(type, uniq.name);
    const stats = {
      runs: 0,
      sequential: 0,
      refusedUnique: 0,
      concurrent: 0,
      won: 0,
      lostUnique: 0,
      lostConflict: 0,
    };
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ who: fc.nat(5), v: uval, how: fc.constantFrom("put", "merge", "json", "delete") }),
          { minLength: 4, maxLength: 10 },
        ),
        fc.array(
          fc.record({
            who: fc.nat(5),
            // Few values, so writers meet on them.
            v: fc.record({
              email: fc.constantFrom<Scalar>("x", "x", "X"),
              org: fc.constant("o"),
              drop: fc.nat(9),
            }),
            how: fc.constantFrom("put", "merge", "json", "tx", "tx2", "away", "delete"),
          }),
          { minLength: 3, maxLength: 6 },
        ),
        async (sequential, concurrent) => {
          stats.runs++;
          const run = `u${runs++}`;
          // Every run keeps to its own values (the org carries the run), so runs never collide.
          const scoped = (v: { email: Scalar; org: Scalar; drop: number }) => ({
            ...v,
            org: v.org === null ? null : `${run}-${v.org}`,
            email: typeof v.email === "string" ? `${run}:${v.email}` : v.email,
          });
          const ids = ["a", "b", "c", "d", "e", "f"].map((x) => `${run}${x}`);
          const model = new Map<string, Entity>(ids.map((id) => [id, { doc: undefined, version: 0 }]));
          // null/true/1 emails with a null org would be shared across runs: give those runs' orgs a run tag.
          const tagged = (v: { email: Scalar; org: Scalar; drop: number }) => {
            const s = scoped(v);
            return typeof s.email === "string" || s.org !== null ? s : { ...s, org: `${run}-null` };
          };
          let n = 0;
          for (const s of sequential) {
            stats.sequential++;
            const id = ids[s.who]!;
            const e = model.get(id)!;
            const next = s.how === "delete" ? undefined : udoc(tagged(s.v), n++);
            let res: Response;
            if (s.how === "delete") res = await remove(refOf(type, id));
            else if (s.how === "put" || e.doc === undefined) res = await put(refOf(type, id), next);
            else if (s.how === "merge")
              res = await mergePatch(refOf(type, id), { u: null, n: (next as { n: number }).n }).then(
                async (r) => {
                  // two steps would let the value go in between: send the whole u instead
                  await r.body?.cancel();
                  return mergePatch(refOf(type, id), next);
                },
              );
            else
              res = await jsonPatch(refOf(type, id), [
                { op: "add", path: "/u", value: (next as { u: Json }).u },
                { op: "replace", path: "/n", value: (next as { n: number }).n },
              ]);
            const text = await res.text();
            if (s.how === "merge" && e.doc !== undefined) {
              // the first step (u removed) always applies
              e.version++;
              e.doc = { ...(e.doc as object), n: (next as { n: number }).n };
              delete (e.doc as { u?: unknown }).u;
            }
            if (s.how === "delete") {
              expect(res.status, text).toBe(e.doc === undefined ? 404 : 204);
              if (e.doc !== undefined) e.version++;
              e.doc = undefined;
              continue;
            }
            const expectedDoc = s.how === "merge" && e.doc !== undefined ? mergeInto(e.doc, next!) : next;
            const taken = holder(model, id, expectedDoc);
            if (taken) {
              stats.refusedUnique++;
              const p = await problemOf(res, text);
              expect(p.type, JSON.stringify({ id, taken, expectedDoc, model: [...model] })).toBe(UNIQUE);
            } else {
              expect(res.status, JSON.stringify({ id, text, expectedDoc, model: [...model] })).toBeLessThan(
                300,
              );
              e.doc = expectedDoc;
              e.version++;
            }
          }
          for (const [id, e] of model) expect((await read(refOf(type, id))).body, id).toEqual(e.doc);

          // Concurrent: each writer on its own entity (the last writer of an entity wins the slot).
          const byEntity = new Map(concurrent.map((c) => [ids[c.who]!, c]));
          const before = new Map([...model].map(([id, e]) => [id, structuredClone(e)]));
          const attempts = [...byEntity].map(([id, c]) => {
            stats.concurrent++;
            const e = model.get(id)!;
            // "away" frees whatever the entity holds for a value of its own; "delete" frees it too.
            const next =
              c.how === "away" || (c.how === "delete" && e.doc === undefined)
                ? udoc({ email: `${run}:own-${id}`, org: "o", drop: 5 }, n++)
                : udoc(tagged(c.v), n++);
            const want =
              c.how === "delete" && e.doc !== undefined
                ? undefined
                : c.how === "merge" && e.doc !== undefined
                  ? mergeInto(e.doc, next)
                  : next;
            const companion =
              c.how === "tx2"
                ? { id: `${id}-c${n}`, body: udoc({ email: `${run}:comp${n}`, org: "o", drop: 5 }, n) }
                : null;
            const send = () => {
              if (c.how === "delete" && e.doc !== undefined) return remove(refOf(type, id));
              if (companion)
                return transact([
                  { op: "put", type, id: companion.id, body: companion.body },
                  { op: "put", type, id, body: next },
                ]);
              if (c.how === "put" || c.how === "away" || c.how === "delete" || e.doc === undefined)
                return put(refOf(type, id), next);
              if (c.how === "merge") return mergePatch(refOf(type, id), next);
              if (c.how === "json")
                return jsonPatch(refOf(type, id), [
                  { op: "add", path: "/u", value: (next as { u: Json }).u },
                  { op: "replace", path: "/n", value: (next as { n: number }).n },
                ]);
              return transact([{ op: "put", type, id, body: next }]);
            };
            return { id, want, send, companion };
          });
          const replies = await Promise.all(attempts.map((a) => a.send()));
          const texts = await Promise.all(replies.map((r) => r.text()));
          for (const [i, res] of replies.entries()) {
            const a = attempts[i]!;
            const text = texts[i]!;
            const now = await read(refOf(type, a.id));
            const was = before.get(a.id)!;
            // A transaction's other entity: there exactly when the transaction committed.
            if (a.companion) {
              const other = await read(refOf(type, a.companion.id));
              expect(other.body, text).toEqual(res.status < 300 ? a.companion.body : undefined);
            }
            if (res.status < 300) {
              stats.won++;
              expect(now.body, text).toEqual(a.want);
              model.set(a.id, { doc: a.want, version: was.version + 1 });
              if (a.companion) model.set(a.companion.id, { doc: a.companion.body, version: 1 });
            } else {
              const p = await problemOf(res, text);
              expect([UNIQUE, CONFLICT, CANCELED], text).toContain(p.type);
              if (p.type === CONFLICT) stats.lostConflict++;
              else stats.lostUnique++;
              // Nothing of a refused write: the entity is as it was.
              expect({ body: now.body, version: now.status === 200 ? now.version : null }, text).toEqual({
                body: was.doc,
                version: was.doc === undefined ? null : was.version,
              });
            }
          }
          // No two live entities share a value.
          const live = [...model].filter(([, e]) => e.doc !== undefined && projection(e.doc) !== null);
          for (const [id, e] of live) expect(holder(model, id, e.doc), id).toBeUndefined();
          // Writers of one value that nobody held before: exactly one of them won, or the losers were told to retry.
          const groups = new Map<string, number[]>();
          for (const [i, a] of attempts.entries()) {
            const p = projection(a.want);
            if (p === null || holder(before, a.id, a.want)) continue;
            const k = JSON.stringify(p);
            groups.set(k, [...(groups.get(k) ?? []), i]);
          }
          for (const [k, group] of groups) {
            const won = group.filter((i) => replies[i]!.status < 300).length;
            // Only they wanted it, and nothing else refuses them: one wins, unless a loser was told to retry.
            const retry = group.some((i) => replies[i]!.status === 409 && texts[i]!.includes(CONFLICT));
            if (retry) expect(won, k).toBeLessThanOrEqual(1);
            else expect(won, k).toBe(1);
          }
        },
      ),
      { numRuns: 12, seed: 31337, endOnFailure: true },
    );
    console.log("unique", JSON.stringify(stats));
  }, 150_000);
});

function mergeInto(target: Json, patch: Json): Json {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, Json> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeInto(out[k] as Json, v);
  }
  return out;
}

async function problemOf(res: Response, text: string) {
  expect(res.status, text).toBe(409);
  expect(res.headers.get("Content-Type"), text).toMatch(/^application\/problem\+json/);
  return JSON.parse(text) as { type: string };
}

describe("how soon a write shows in a query", () => {
  it("converges on the last state of every entity without any alarm being run by hand, after bursts of concurrent writes", async () => {
    const type = newType("mr");
    const spec: IndexSpec = { name: "by-g", keys: ["/g"], sort: "/s" };
    await defineIndex(type, spec.name, { keys: spec.keys, sort: spec.sort });
    await buildToEnd(type, spec.name);
    const stats = { writes: 0, visibleAtOnce: 0, checks: 0 };
    const model = new Map<string, Entity>();
    const idsOf = ["p", "q", "r"];
    for (const id of idsOf) model.set(id, { doc: undefined, version: 0 });
    // One write at a time, each queried at once: the README promises no read-your-writes here (a
    // query is eventually consistent), so this counts; the poll below must converge.
    for (let i = 0; i < 12; i++) {
      const id = idsOf[i % 3]!;
      const e = model.get(id)!;
      const w =
        i % 5 === 4
          ? ({ kind: "delete", cond: "none" } as const)
          : ({ kind: "put", body: { g: "g", s: (i * 7) % 5 }, cond: "none" } as const);
      await applyWrite(refOf(type, id), e, w, {});
      stats.writes++;
      const want = expectedItems(model, spec, { "/g": "g" }, undefined, "asc", false);
      const got = (await all(type, spec.name, { where: { "/g": "g" } })).map(({ updatedAt: _u, ...r }) => r);
      stats.checks++;
      if (JSON.stringify(got) === JSON.stringify(want)) stats.visibleAtOnce++;
      await expect
        .poll(async () =>
          (await all(type, spec.name, { where: { "/g": "g" } })).map(({ updatedAt: _u, ...r }) => r),
        )
        .toEqual(want);
    }
    // Bursts: 16 concurrent writes to one entity (merge patches moving its sort value, PUTs, a
    // transaction), then the index must end on the entity's last version, whatever the folding did.
    for (let burst = 0; burst < 3; burst++) {
      const id = idsOf[burst]!;
      await put(refOf(type, id), { g: "g", s: -1 });
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          i % 4 === 0
            ? put(refOf(type, id), { g: "g", s: burst * 100 + i })
            : i % 4 === 1
              ? transact([{ op: "patch", type, id, patch: { s: burst * 100 + i } }])
              : mergePatch(refOf(type, id), { s: burst * 100 + i }),
        ),
      );
      for (const r of replies) await r.body?.cancel();
      const now = await read(refOf(type, id));
      model.set(id, { doc: now.body as Json, version: now.version! });
      const want = expectedItems(model, spec, { "/g": "g" }, undefined, "desc", false);
      await expect
        .poll(async () =>
          (await all(type, spec.name, { where: { "/g": "g" }, order: "desc", limit: 1 })).map(
            ({ updatedAt: _u, ...r }) => r,
          ),
        )
        .toEqual(want);
    }
    console.log("read-your-writes", JSON.stringify(stats));
  }, 120_000);
});

describe("concurrent writers and transactions over the same entities", () => {
  it("leave every index holding exactly each entity's last committed state", async () => {
    const type = newType("mc");
    const specs: IndexSpec[] = [
      { name: "by-s", keys: ["/run"], sort: "/m/s" },
      { name: "by-k", keys: ["/run", "/k/a~1b"], sort: "/arr/0" },
    ];
    for (const s of specs) await defineIndex(type, s.name, { keys: s.keys, sort: s.sort });
    for (const s of specs) await buildToEnd(type, s.name);
    const stats = { runs: 0, sent: 0, ok: 0, conflicts: 0, refused: 0 };
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.oneof(
              fc.record({ kind: fc.constant("one" as const), who: fc.nat(3), w: write }),
              fc.record({
                kind: fc.constant("tx" as const),
                ops: fc.uniqueArray(fc.record({ who: fc.nat(3), w: write }), {
                  minLength: 2,
                  maxLength: 3,
                  selector: (o) => o.who,
                }),
              }),
            ),
            { minLength: 3, maxLength: 8 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        async (batches) => {
          stats.runs++;
          const run = `c${runs++}`;
          const ids = ["w", "x", "y", "z"].map((s) => `${run}${s}`);
          for (const id of ids) await put(refOf(type, id), { run, m: { s: 0 }, k: { "a/b": 1 }, arr: [0] });
          const asOp = (id: string, w: Exclude<Parameters<typeof decide>[1], "check">) => {
            const base = { type, id };
            if (w.kind === "put") return { op: "put", ...base, body: { ...w.body, run } };
            if (w.kind === "merge") return { op: "patch", ...base, patch: w.patch };
            if (w.kind === "json") return { op: "patch", ...base, patch: w.patch, patchType: "json-patch" };
            return { op: "delete", ...base };
          };
          for (const batch of batches) {
            const replies = await Promise.all(
              batch.map((b) => {
                stats.sent++;
                if (b.kind === "tx")
                  return transact(b.ops.map((o) => asOp(ids[o.who]!, o.w as never)) as never);
                const ref = refOf(type, ids[b.who]!);
                const w = b.w;
                if (w.kind === "put") return put(ref, { ...w.body, run });
                if (w.kind === "merge") return mergePatch(ref, w.patch);
                if (w.kind === "json") return jsonPatch(ref, w.patch);
                return remove(ref);
              }),
            );
            for (const r of replies) {
              const text = await r.text();
              if (r.status < 300) stats.ok++;
              else if (text.includes("transaction-conflict")) stats.conflicts++;
              else stats.refused++;
              expect(r.status, text).not.toBeGreaterThanOrEqual(500);
            }
          }
          // The truth is what the entities say now; every index must come to hold exactly that.
          const model = new Map<string, Entity>();
          for (const id of ids) {
            const r = await read(refOf(type, id));
            model.set(id, { doc: r.status === 200 ? (r.body as Json) : undefined, version: r.version ?? 0 });
          }
          for (const spec of specs) {
            const wheres =
              spec.keys.length === 1
                ? [{ "/run": run }]
                : [null, true, 1, "1", "a", "\ud800", "😀", 0.1].map((k) => ({ "/run": run, "/k/a~1b": k }));
            for (const where of wheres) {
              const want = expectedItems(
                model,
                spec,
                where as Record<string, Scalar>,
                undefined,
                "asc",
                true,
              );
              await expect
                .poll(async () =>
                  (await all(type, spec.name, { where, include: "documents" })).map(
                    ({ updatedAt: _u, ...r }) => r,
                  ),
                )
                .toEqual(want);
            }
          }
        },
      ),
      { numRuns: 10, seed: 555, endOnFailure: true },
    );
    console.log("concurrent", JSON.stringify(stats));
  }, 150_000);
});

describe("expiry as the index sees it", () => {
  it("follows ttl through PUT (sets, or clears without it), both patches (keep without it) and transactions, before any alarm", async () => {
    const type = newType("mx");
    await defineIndex(type, "by-g", { keys: ["/g"], sort: "/n" });
    await buildToEnd(type, "by-g");
    const R = (id: string) => refOf(type, id);
    const ok = async (r: Response | Promise<Response>) => {
      const res = await r;
      const text = await res.text();
      expect(res.status, text).toBeLessThan(300);
    };
    const body = (n: number) => ({ g: "g", n });
    await ok(put(R("a"), body(1), {}, "?ttl=60")); // expires
    await ok(put(R("b"), body(2), {}, "?ttl=60"));
    await ok(put(R("b"), body(2))); // cleared
    await ok(put(R("c"), body(3), {}, "?ttl=60"));
    await ok(mergePatch(R("c"), { n: 3.5 })); // kept
    await ok(put(R("d"), body(4), {}, "?ttl=60"));
    await ok(jsonPatch(R("d"), [{ op: "replace", path: "/n", value: 4.5 }])); // kept
    await ok(transact([{ op: "put", type, id: "e", body: body(5), ttl: 60 }]));
    await ok(transact([{ op: "patch", type, id: "e", patch: { n: 5.5 } }])); // kept
    await ok(put(R("f"), body(6), {}, "?ttl=60"));
    await ok(transact([{ op: "put", type, id: "f", body: body(6.5) }])); // cleared
    await ok(put(R("h"), body(7)));
    await ok(mergePatch(R("h"), { n: 7.5 }, {}, "?ttl=60")); // set
    await ok(put(R("i"), body(8)));
    await ok(
      transact([
        {
          op: "patch",
          type,
          id: "i",
          patch: [{ op: "replace", path: "/n", value: 8.5 }],
          patchType: "json-patch",
          ttl: 60,
        },
      ]),
    ); // set
    await ok(put(R("j"), body(9)));
    const all9 = ["a", "b", "c", "d", "e", "f", "h", "i", "j"];
    await delivered(all9.map(R));
    expect(ids(await all(type, "by-g", { where: { "/g": "g" } }))).toEqual(all9);
    // Every shard's time moves past the expiries; no entity alarm runs.
    const { shardsOf } = await import("../support/indexes");
    const { ManualClock, useClock } = await import("../support/clock");
    const clock = new ManualClock(Date.now() + 61_000);
    for (const shard of await shardsOf(type, "by-g")) await useClock(shard, clock);
    expect(ids(await all(type, "by-g", { where: { "/g": "g" } }))).toEqual(["b", "f", "j"]);
  });
});
