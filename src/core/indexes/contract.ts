// The shapes that cross RPC between the Worker, an entity type's index catalog, the index shards
// and the entities themselves: the contract of secondary indexes, in one place.
import type { Keyed, Reply } from "../idempotency";
import type { Result } from "../result";
import type { IndexDefinition } from "./definition";

/** An entity type's catalog of indexes: one object per tenant/type. */
export interface CatalogAddress {
  tenant: string;
  type: string;
}

/**
 * One build of an index. Its shards hold entries whose key values were hashed with a key derived
 * from ring key `keyId`; a key rotation builds a new generation under the new primary and retires
 * this one, so nothing outlives the key it depends on.
 */
export interface Generation extends IndexDefinition {
  /** Unique within the type (an index dropped and created again gets a new one). */
  gen: string;
  index: string;
  keyId: string;
  shards: number;
  /** The catalog epoch that created it. */
  epoch: number;
}

/** What an entity must know to index itself: every generation it must deliver to. */
export interface CatalogSnapshot {
  /** Grows with every change of the set of generations; a larger epoch replaces a smaller one. */
  epoch: number;
  gens: Generation[];
}

export type IndexStatus = "BUILDING" | "ACTIVE";

export interface IndexView extends IndexDefinition {
  index: string;
  status: IndexStatus;
  createdAt: number;
  /** The generation queries read; null while the first build runs. */
  serving: Generation | null;
  /** The generation being built (the first one, or a replacement after key rotation). */
  building: Generation | null;
  /** A generation under the primary key is being built to replace `serving` (key rotation). */
  rebuilding: boolean;
  /** Entities visited by the build so far (while one runs). */
  visited?: number;
}

export interface DefineRequest extends Keyed {
  definition: IndexDefinition;
}

export interface DefineOutcome {
  view: IndexView;
  created: boolean;
}

export interface IndexCatalogApi {
  define(address: CatalogAddress, index: string, request: DefineRequest): Promise<Reply<DefineOutcome>>;
  list(): Promise<IndexView[]>;
  describe(index: string): Promise<Result<IndexView>>;
  drop(address: CatalogAddress, index: string, request: Keyed): Promise<Reply<null>>;
  /** The generations entities are to know now (what the registry is announced). */
  snapshot(): Promise<CatalogSnapshot>;
}

/**
 * Shards per generation. Queries name every key, so each reads one shard whatever the count; the
 * count is what a type's writes spread over (a hot key value stays on one, as a hot partition
 * does in DynamoDB). 32, as the tenant registry: see README, "What one shard and one index take".
 * Kept per generation, so a later count leaves existing indexes as they are.
 */
export const INDEX_SHARDS = 32;

/** One shard of one generation. */
export interface ShardAddress {
  tenant: string;
  type: string;
  index: string;
  gen: string;
  shard: number;
}

export interface IndexEntry {
  /** The blind index: a keyed hash of the key values, never the values. */
  keyHash: Uint8Array;
  /** The sort value, encoded (scalar.ts); empty for an index without a sort pointer. */
  sort: Uint8Array;
  version: number;
  updatedAt: number;
  expiresAt: number | null;
  /** The entity's own sealed value of this version: sealed like every other copy, opened only by readers. */
  body: string;
}

/**
 * An entity's state in one shard at one rank. The rank orders an entity's changes: version × 2,
 * plus 1 for a removal, so an expiry (which keeps the version) still supersedes the entry it
 * removes. A shard applies a change only above the rank it holds: the index never goes backwards,
 * and a change delivered twice is applied once.
 */
export interface EntryChange {
  id: string;
  rank: number;
  entry: IndexEntry | null;
}

export const rankOf = (version: number, removed: boolean): number => version * 2 + (removed ? 1 : 0);

/** "retired": the generation was dropped or replaced; the sender forgets it. */
export type ApplyOutcome = "applied" | "retired";

export interface RangeBound {
  value: Uint8Array;
  inclusive: boolean;
}

export interface ShardQuery {
  keyHash: Uint8Array;
  from?: RangeBound;
  to?: RangeBound;
  order: "asc" | "desc";
  limit: number;
  /** Keyset position: results strictly after it in `order`. */
  after?: { sort: Uint8Array; id: string };
  bodies: boolean;
}

export interface ShardItem {
  id: string;
  version: number;
  updatedAt: number;
  sort: Uint8Array;
  body?: string;
}

export type ShardPage = { retired: true } | { retired: false; items: ShardItem[]; more: boolean };

/** What an entity answers to a build: it now delivers to every generation it was shown. */
export interface IndexMember {
  joinIndexes(
    address: { tenant: string; type: string; id: string },
    snapshot: CatalogSnapshot,
  ): Promise<Result<{ pending: number }>>;
}
