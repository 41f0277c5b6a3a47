// The one module that knows how entities sit in Workers KV. KV is a cache and a list index,
// never a source of truth: only the owning EntityObject writes here, after its commit, and
// every copy carries the version it was taken from.
//
// Two keys per entity: the copy (`e/…`, the sealed document, kept only while someone reads the
// entity with consistency=eventual, and expiring by itself) and the index entry (`i/…`, empty
// value, version/updatedAt/expiresAt in metadata, kept as long as the entity lives) that `list()`
// reads. They are separate because an idle entity must stay listed long after its copy is gone.
import type { EntityAddress } from "../core/entity/contract";

export interface CopyMetadata {
  /** version */
  v: number;
  /** updatedAt, epoch ms */
  u: number;
  /** expiresAt, epoch ms, or null */
  x: number | null;
}

/** A copy's metadata: its version's, and the end of the copy lease it was written under. */
export interface LeasedCopyMetadata extends CopyMetadata {
  /** the lease's end, epoch ms: readers serve the copy only before it */
  l: number;
}

export interface CachedCopy {
  sealed: string;
  meta: LeasedCopyMetadata;
}

/**
 * What a copy is sealed to: its entity, and all of its metadata in the seal's version field. So
 * someone who can write the KV namespace cannot change `updatedAt` or `expiresAt`, nor serve a copy
 * past the lease it was written under: an older copy put back opens only until that lease ends.
 */
export function copyContext(a: EntityAddress, meta: LeasedCopyMetadata) {
  const binding = `${meta.v}/${meta.u}/${meta.x ?? "-"}/${meta.l}`;
  return { tenant: a.tenant, kind: "kv-entity", name: `${a.type}/${a.id}`, version: binding };
}

/** KV refuses expirations under 60 s. */
const KV_MIN_TTL_SECONDS = 60;

export const copyKey = (a: EntityAddress): string => `e/${a.tenant}/${a.type}/${a.id}`;
const indexKey = (a: EntityAddress): string => `i/${a.tenant}/${a.type}/${a.id}`;
const typePrefix = (tenant: string, type: string): string => `i/${tenant}/${type}/`;

export async function readCopy(kv: KVNamespace, address: EntityAddress): Promise<CachedCopy | null> {
  const { value, metadata } = await kv.getWithMetadata<LeasedCopyMetadata>(copyKey(address), "text");
  if (value === null || !isCopyMetadata(metadata) || typeof metadata.l !== "number") return null;
  return { sealed: value, meta: metadata };
}

/** KV refuses expirations under 60 s. */
export const KV_MIN_TTL_MS = KV_MIN_TTL_SECONDS * 1000;

/** The index entry of a live entity: it lives as long as the entity does. */
export async function writeIndex(kv: KVNamespace, address: EntityAddress, meta: CopyMetadata, now: number) {
  const ttl = meta.x === null ? null : Math.max(KV_MIN_TTL_SECONDS, Math.ceil((meta.x - now) / 1000));
  await kv.put(indexKey(address), "", { metadata: meta, ...(ttl === null ? {} : { expirationTtl: ttl }) });
}

/**
 * The sealed copy (sealed to `copyContext(address, meta)`), expiring by itself at the end of its
 * lease `meta.l` (copy-lease.ts) or when the entity expires, whichever is first — never sooner
 * than KV's 60 s floor (readers check `l` and `x`).
 */
export async function writeCopy(
  kv: KVNamespace,
  address: EntityAddress,
  sealed: string,
  meta: LeasedCopyMetadata,
  now: number,
) {
  const end = meta.x === null ? meta.l : Math.min(meta.l, meta.x);
  const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((end - now) / 1000));
  await kv.put(copyKey(address), sealed, { expirationTtl: ttl, metadata: meta });
}

export const deleteCopy = (kv: KVNamespace, address: EntityAddress): Promise<void> =>
  kv.delete(copyKey(address));

/** The index entry of an entity that was deleted or expired. */
export const deleteIndex = (kv: KVNamespace, address: EntityAddress): Promise<void> =>
  kv.delete(indexKey(address));

export interface IndexPage {
  items: { id: string; version: number; updatedAt: number }[];
  cursor: string | null;
}

export async function listIndex(
  kv: KVNamespace,
  query: { tenant: string; type: string; prefix: string; limit: number; cursor?: string },
  now: number,
): Promise<IndexPage> {
  const base = typePrefix(query.tenant, query.type);
  const page = await kv.list<CopyMetadata>({
    prefix: base + query.prefix,
    limit: query.limit,
    cursor: query.cursor,
  });
  const items: IndexPage["items"] = [];
  for (const key of page.keys) {
    const meta = key.metadata;
    // Expired entities can linger until their object's alarm deletes the entry: hide them.
    if (!isCopyMetadata(meta) || (meta.x !== null && meta.x <= now)) continue;
    items.push({ id: key.name.slice(base.length), version: meta.v, updatedAt: meta.u });
  }
  return { items, cursor: page.list_complete ? null : page.cursor };
}

/**
 * Whether the list index holds a live entity of the type. Expired entries can linger until their
 * object's alarm removes them; a first page of nothing but such entries with more behind it
 * counts as live rather than hiding a type that may well have documents.
 */
export async function hasLiveEntities(kv: KVNamespace, tenant: string, type: string, now: number) {
  const page = await listIndex(kv, { tenant, type, prefix: "", limit: 10 }, now);
  return page.items.length > 0 || page.cursor !== null;
}

export interface TenantPage {
  items: EntityAddress[];
  cursor: string | null;
}

/**
 * Every live entity of a tenant, across types, in key order: what the re-encryption job walks.
 * Like `listIndex` it is eventually consistent (a commit in another location may take up to a
 * minute to show); deleted entities, whose kept history is still sealed, are not in it.
 */
export async function listTenantEntities(
  kv: KVNamespace,
  query: { tenant: string; limit: number; cursor?: string },
): Promise<TenantPage> {
  const base = `i/${query.tenant}/`;
  const page = await kv.list({ prefix: base, limit: query.limit, cursor: query.cursor });
  const items: EntityAddress[] = [];
  for (const key of page.keys) {
    // Types never contain "/" (names.ts), so the first "/" after the tenant ends the type.
    const rest = key.name.slice(base.length);
    const slash = rest.indexOf("/");
    if (slash > 0)
      items.push({ tenant: query.tenant, type: rest.slice(0, slash), id: rest.slice(slash + 1) });
  }
  return { items, cursor: page.list_complete ? null : page.cursor };
}

function isCopyMetadata(m: unknown): m is CopyMetadata {
  if (typeof m !== "object" || m === null) return false;
  const r = m as Record<string, unknown>;
  return typeof r.v === "number" && typeof r.u === "number" && (r.x === null || typeof r.x === "number");
}
