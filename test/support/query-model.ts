import { expect } from "vitest";
import { type EntityRef, jsonPatch, mergePatch, put, remove } from "./entities";
import { type QueryBody, query } from "./indexes";
import type { Cond, Json, QSpec, Scalar, Write } from "./query-arbitraries";

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

/** A write through the API, as the model's Write says; a PUT's body gets `extra` fields too. */
export function sendWrite(
  ref: EntityRef,
  w: Write,
  headers: Record<string, string>,
  extra: Record<string, Json> = {},
): Promise<Response> {
  if (w.kind === "put") return put(ref, { ...(w.body as object), ...extra }, { headers });
  if (w.kind === "merge") return mergePatch(ref, w.patch, { headers });
  if (w.kind === "json") return jsonPatch(ref, w.patch, { headers });
  return remove(ref, { headers });
}
