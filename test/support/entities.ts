// Helpers for entity tests: unique addresses, the object and KV key behind an entity, and the
// write shapes the API takes.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { api, type Call, json, unique } from "./api";

export interface EntityRef {
  tenant: string;
  type: string;
  id: string;
  /** /v1/entities/{type}/{id} */
  path: string;
}

/** A fresh entity address; storage is shared by the tests of one file, so every test takes its own. */
export function newEntity(type = "doc", tenant = "default"): EntityRef {
  const id = unique("e");
  return { tenant, type, id, path: `/v1/entities/${type}/${id}` };
}

/** A fresh entity type (for listings, which are per type). */
export const newType = (prefix = "t") => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;

/** The Durable Object that owns an entity (the same name the Worker uses). */
export const entityObject = (ref: EntityRef) => env.ENTITIES.getByName(`${ref.tenant}/${ref.type}/${ref.id}`);

/** The entity's KV copy key (value: sealed document; metadata: version, updatedAt, expiresAt). */
/** Where a read was answered from: "hit" / "miss" (the KV copy) or "bypass" (a strong read). */
export const cacheOf = (res: Response) => res.headers.get("Edgestate-Cache");

export const copyKeyOf = (ref: EntityRef) => `e/${ref.tenant}/${ref.type}/${ref.id}`;

/** The entity's list index entry: its metadata (version, updatedAt, expiresAt), or null when absent. */
export async function indexEntry(ref: EntityRef): Promise<CopyMeta | null> {
  const key = `i/${ref.tenant}/${ref.type}/${ref.id}`;
  const page = await env.CACHE.list<CopyMeta>({ prefix: key });
  return page.keys.find((k) => k.name === key)?.metadata ?? null;
}

export interface CopyMeta {
  v: number;
  u: number;
  x: number | null;
}

export async function kvCopy(ref: EntityRef): Promise<{ value: string; meta: CopyMeta } | null> {
  const { value, metadata } = await env.CACHE.getWithMetadata<CopyMeta>(copyKeyOf(ref), "text");
  return value === null || metadata === null ? null : { value, meta: metadata };
}

export const put = (ref: EntityRef | string, body: unknown, call: Call = {}, query = "") =>
  api("PUT", `${pathOf(ref)}${query}`, { ...call, body });

export const mergePatch = (ref: EntityRef | string, patch: unknown, call: Call = {}, query = "") =>
  api("PATCH", `${pathOf(ref)}${query}`, {
    ...call,
    body: patch,
    contentType: "application/merge-patch+json",
  });

export const jsonPatch = (ref: EntityRef | string, ops: unknown, call: Call = {}, query = "") =>
  api("PATCH", `${pathOf(ref)}${query}`, { ...call, body: ops, contentType: "application/json-patch+json" });

export const remove = (ref: EntityRef | string, call: Call = {}) => api("DELETE", pathOf(ref), call);

export const get = (ref: EntityRef | string, call: Call = {}, query = "") =>
  api("GET", `${pathOf(ref)}${query}`, call);

/** The entity as a strong read sees it: status, version and parsed body (undefined unless 200). */
export async function read(
  ref: EntityRef | string,
  call: Call = {},
): Promise<{ status: number; version: number | null; body: unknown }> {
  const res = await get(ref, call);
  const version = res.headers.get("Edgestate-Version");
  let body: unknown;
  if (res.status === 200) body = await json(res);
  else await res.body?.cancel();
  return { status: res.status, version: version === null ? null : Number(version), body };
}

const pathOf = (ref: EntityRef | string) => (typeof ref === "string" ? ref : ref.path);

/**
 * Gives an entity a KV copy the way production does: an eventual read misses, which opens the
 * object's copy lease (src/objects/copy-lease.ts); commits then keep that copy fresh.
 */
export async function warmCopy(ref: EntityRef): Promise<void> {
  const res = await api("GET", `${ref.path}?consistency=eventual`, { tenant: ref.tenant });
  if (res.status !== 200) throw new Error(`eventual read failed: ${res.status}`);
  for (let i = 0; i < 300 && (await kvCopy(ref)) === null; i++) await new Promise((r) => setTimeout(r, 50));
}

/** A KV copy (warmCopy), then eventual reads until one is served from it. */
export async function warmAndHit(ref: EntityRef): Promise<void> {
  await warmCopy(ref);
  const hit = async () => cacheOf(await get(ref, {}, "?consistency=eventual"));
  await expect.poll(hit, { timeout: 15_000, interval: 100 }).toBe("hit");
}
