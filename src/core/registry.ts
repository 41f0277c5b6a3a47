// Which objects hold sealed values, per tenant: every such object registers itself (kind and name,
// its Durable Object name without the tenant) before its first commit, in one of REGISTRY_SHARDS
// registry objects chosen by a hash of the name. Key rotation walks the shards with a cursor; no
// single object is on any request's path, and creating objects fast spreads over the shards.
import type { CatalogSnapshot } from "./indexes/contract";

/**
 * The kinds of object that hold sealed values (a subject's: the idempotency records of "log out
 * everywhere"; an API key's: its AWS secret; a transaction's: its participants and reply; an entity
 * type's index catalog: its idempotency records, and the index generations whose hashes depend on a
 * ring key, rebuilt by the same job).
 */
export const SEALED_KINDS = [
  "entity",
  "session",
  "subject",
  "machine",
  "execution",
  "api-key",
  "transaction",
  "indexes",
] as const;
export type SealedKind = (typeof SEALED_KINDS)[number];

export interface RegisteredObject {
  kind: SealedKind;
  /** The object's Durable Object name without the leading `<tenant>/`. */
  name: string;
}

export const REGISTRY_SHARDS = 32;

/**
 * What a registry shard tells an object that registers: for an entity, the index generations of
 * its type as the shard last heard of them (see objects/index-build.ts for why this closes the race
 * between a new entity and a new index).
 */
export interface RegistrationAnswer {
  indexes: CatalogSnapshot | null;
}

/** FNV-1a, 32 bits: stable, fast, and good enough to spread names over a few dozen shards. */
export function shardOf(object: RegisteredObject): number {
  let hash = 0x811c9dc5;
  const text = `${object.kind}/${object.name}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % REGISTRY_SHARDS;
}

/** Where a walk over a tenant's registry stands: the shard, and the last object done in it. */
export interface WalkCursor {
  shard: number;
  after: RegisteredObject | null;
}

export const encodeCursor = (cursor: WalkCursor): string =>
  btoa(JSON.stringify([cursor.shard, cursor.after?.kind ?? null, cursor.after?.name ?? null]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");

/** null for anything this service did not issue. */
export function decodeCursor(text: string): WalkCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [shard, kind, name] = parsed as unknown[];
  if (typeof shard !== "number" || !Number.isInteger(shard) || shard < 0 || shard >= REGISTRY_SHARDS)
    return null;
  if (kind === null && name === null) return { shard, after: null };
  if (!SEALED_KINDS.includes(kind as SealedKind) || typeof name !== "string") return null;
  return { shard, after: { kind: kind as SealedKind, name } };
}
