// SQL for one index shard: one row per entity the shard has heard of. A row with a key hash is an
// entry; a row without one is a tombstone that keeps the rank of a removal, so a change that
// arrives late (or twice) cannot bring the entry back. Tombstones go after TOMBSTONE_MS, far past
// any delivery still in flight. Synchronous, for one transactionSync per delivery.
//
// An entry's sealed document copy is a row of its own in `entry_bodies`: beside a sort value as
// long as the document allows, a 1 MiB document's copy (1.4 MB sealed) made rows of over 2 MB,
// which production refuses (locally nothing is enforced). Apart, each row is under the limit.
import type { EntryChange, ShardItem, ShardQuery } from "../core/indexes/contract";
import { sealedHead } from "./shell/stale-rows";
import { LazySqlStore } from "./sql/sql-store";

/** Sealed text a page carries at most: about 1.5 MB of documents, as DynamoDB pages at 1 MB. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;
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
  `CREATE TABLE entry_bodies (id TEXT PRIMARY KEY, body TEXT NOT NULL);
   INSERT INTO entry_bodies (id, body) SELECT id, body FROM entries WHERE body IS NOT NULL;
   ALTER TABLE entries DROP COLUMN body`,
];

/** The entry's copy, as a column of the entry's row (null: none, or not asked for). */
const BODY = "(SELECT body FROM entry_bodies WHERE entry_bodies.id = entries.id) AS body";
/** The entry's row holds the change of rank ?2: its copy follows it (a late change leaves it). */
const HOLDS_CHANGE = "EXISTS (SELECT 1 FROM entries WHERE id = ?1 AND rank = ?2)";

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
      `INSERT INTO entries (id, rank, key_hash, sort, version, updated_at, expires_at, removed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (id) DO UPDATE SET rank = ?2, key_hash = ?3, sort = ?4, version = ?5,
         updated_at = ?6, expires_at = ?7, removed_at = ?8
       WHERE ?2 > entries.rank`,
      change.id,
      change.rank,
      e ? blob(e.keyHash) : null,
      blob(e?.sort ?? new Uint8Array()),
      e?.version ?? Math.floor(change.rank / 2),
      e?.updatedAt ?? now,
      e?.expiresAt ?? null,
      e ? null : now,
    );
    if (e?.body == null)
      this.sql.exec(`DELETE FROM entry_bodies WHERE id = ?1 AND ${HOLDS_CHANGE}`, change.id, change.rank);
    else
      this.sql.exec(
        `INSERT OR REPLACE INTO entry_bodies (id, body) SELECT ?1, ?3 WHERE ${HOLDS_CHANGE}`,
        change.id,
        change.rank,
        e.body,
      );
  }

  /** The entity's row (an entry or a tombstone), if the shard has heard of it. */
  entry(id: string): EntryRow | null {
    return this.sql.exec<EntryRow>(`SELECT *, ${BODY} FROM entries WHERE id = ?`, id).toArray()[0] ?? null;
  }

  /** One page of the query, cut at its limit or at MAX_PAGE_BYTES of documents; read synchronously. */
  page(query: ShardQuery, now: number): { items: ShardItem[]; more: boolean } {
    const page: { items: ShardItem[]; more: boolean } = { items: [], more: false };
    let bytes = 0;
    for (const row of this.find(query, now)) {
      if (
        page.items.length === query.limit ||
        (page.items.length > 0 && bytes + (row.body?.length ?? 0) > MAX_PAGE_BYTES)
      ) {
        page.more = true;
        break;
      }
      bytes += row.body?.length ?? 0;
      page.items.push({
        id: row.id,
        version: row.version,
        updatedAt: row.updated_at,
        sort: new Uint8Array(row.sort),
        ...(query.bodies && row.body !== null ? { body: row.body } : {}),
      });
    }
    return page;
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
    const columns = `id, rank, key_hash, sort, version, updated_at, expires_at, ${query.bodies ? BODY : "NULL AS body"}`;
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
        `SELECT entries.*, entry_bodies.body FROM entry_bodies JOIN entries ON entries.id = entry_bodies.id
           WHERE substr(entry_bodies.body, 1, ?) != ? ORDER BY entry_bodies.id LIMIT ?`,
        head.length,
        head,
        limit,
      )
      .toArray();
  }

  /** Only while the entry is still the one that was read (its rank unchanged). */
  replaceBody(row: EntryRow & { body: string }, body: string): void {
    this.sql.exec(
      `UPDATE entry_bodies SET body = ?3 WHERE id = ?1 AND ${HOLDS_CHANGE}`,
      row.id,
      row.rank,
      body,
    );
  }
}
