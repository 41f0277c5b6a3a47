// SQL for one index shard: one row per entity the shard has heard of. A row with a key hash is an
// entry; a row without one is a tombstone that keeps the rank of a removal, so a change that
// arrives late (or twice) cannot bring the entry back. Tombstones go after TOMBSTONE_MS, far past
// any delivery still in flight. Synchronous, for one transactionSync per delivery.
import type { EntryChange, ShardQuery } from "../core/indexes/contract";
import { sealedHead } from "./shell/stale-rows";
import { LazySqlStore } from "./sql/sql-store";

export const TOMBSTONE_MS = 24 * 60 * 60 * 1000;
/** Tombstones removed per delivery: pruning never makes one delivery slow. */
const PRUNE_BATCH = 16;
const RETIRED = "retired";

export type EntryRow = {
  id: string;
  rank: number;
  key_hash: ArrayBuffer | null;
  sort: ArrayBuffer;
  version: number;
  updated_at: number;
  expires_at: number | null;
  body: string | null;
};

const MIGRATIONS = [
  `CREATE TABLE entries (id TEXT PRIMARY KEY, rank INTEGER NOT NULL, key_hash BLOB, sort BLOB NOT NULL,
     version INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER, body TEXT, removed_at INTEGER);
   CREATE INDEX entries_by_key ON entries (key_hash, sort, id);
   CREATE INDEX entries_removed ON entries (removed_at) WHERE removed_at IS NOT NULL`,
];

/** SQLite binds ArrayBuffers as BLOBs; a view's bytes are copied out of a possibly larger buffer. */
const blob = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

export class ShardStore extends LazySqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  retired(): boolean {
    return this.storage.kv.get(RETIRED) !== undefined;
  }

  async retire(): Promise<void> {
    if (this.retired()) return;
    await this.wipe();
    this.storage.kv.put(RETIRED, true);
  }

  apply(change: EntryChange, now: number): void {
    const e = change.entry;
    this.sql.exec(
      `INSERT INTO entries (id, rank, key_hash, sort, version, updated_at, expires_at, body, removed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
       ON CONFLICT (id) DO UPDATE SET rank = ?2, key_hash = ?3, sort = ?4, version = ?5,
         updated_at = ?6, expires_at = ?7, body = ?8, removed_at = ?9
       WHERE ?2 > entries.rank`,
      change.id,
      change.rank,
      e ? blob(e.keyHash) : null,
      blob(e?.sort ?? new Uint8Array()),
      e?.version ?? Math.floor(change.rank / 2),
      e?.updatedAt ?? now,
      e?.expiresAt ?? null,
      e?.body ?? null,
      e ? null : now,
    );
  }

  pruneTombstones(now: number): void {
    this.sql.exec(
      "DELETE FROM entries WHERE id IN (SELECT id FROM entries WHERE removed_at <= ? ORDER BY removed_at LIMIT ?)",
      now - TOMBSTONE_MS,
      PRUNE_BATCH,
    );
  }

  /** The query's rows in its order, live ones only; consume them before the next await. */
  find(query: ShardQuery, now: number): Iterable<EntryRow> {
    const where = ["key_hash = ?", "(expires_at IS NULL OR expires_at > ?)"];
    const args: SqlStorageValue[] = [blob(query.keyHash), now];
    if (query.from) {
      where.push(query.from.inclusive ? "sort >= ?" : "sort > ?");
      args.push(blob(query.from.value));
    }
    if (query.to) {
      where.push(query.to.inclusive ? "sort <= ?" : "sort < ?");
      args.push(blob(query.to.value));
    }
    const desc = query.order === "desc";
    if (query.after) {
      where.push(desc ? "(sort, id) < (?, ?)" : "(sort, id) > (?, ?)");
      args.push(blob(query.after.sort), query.after.id);
    }
    const columns = `id, rank, key_hash, sort, version, updated_at, expires_at, ${query.bodies ? "body" : "NULL AS body"}`;
    const direction = desc ? "DESC" : "ASC";
    return this.sql.exec<EntryRow>(
      `SELECT ${columns} FROM entries WHERE ${where.join(" AND ")}
         ORDER BY sort ${direction}, id ${direction} LIMIT ?`,
      ...args,
      query.limit + 1,
    );
  }

  count(now: number): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT COUNT(*) AS n FROM entries WHERE key_hash IS NOT NULL AND (expires_at IS NULL OR expires_at > ?)",
        now,
      )
      .one().n;
  }

  /** Entries whose document copy is sealed under another key than `keyId`. */
  bodiesNotUnder(keyId: string, limit: number): EntryRow[] {
    const head = sealedHead(keyId);
    return this.sql
      .exec<EntryRow>(
        "SELECT * FROM entries WHERE body IS NOT NULL AND substr(body, 1, ?) != ? ORDER BY id LIMIT ?",
        head.length,
        head,
        limit,
      )
      .toArray();
  }

  /** Only while the entry is still the one that was read (its rank unchanged). */
  replaceBody(row: EntryRow & { body: string }, body: string): void {
    this.sql.exec("UPDATE entries SET body = ? WHERE id = ? AND rank = ?", body, row.id, row.rank);
  }
}
