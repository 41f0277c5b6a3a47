// SQL for one entity: its kept versions (the newest is the live document) and the version counter
// a purge keeps. Its idempotency records are the shell's ledger, in the same database (migration
// 3 gives them the ledger's columns). Synchronous on purpose: every method runs between awaits,
// so callers can group several into one transactionSync.
//
// The newest row and the counter are remembered once read: the object is the only writer of its
// storage, so every change to them passes through here. A write therefore reads no version row,
// and a strong read of the current version reads none after the first. `forget` drops both, for
// a transaction that rolled back (its rows never existed) and for tests that rewrite rows behind
// the object's back.
import type { EntityOp } from "../core/entity/contract";
import { isExpired } from "../core/entity/decide";
import { LEDGER_PARTS_TABLE, ledgerFrom } from "./shell/idempotency-ledger";
import { rowsNotUnder } from "./shell/stale-rows";
import { newestVersion, SqlStore, versionRow } from "./sql/sql-store";

export type VersionRow = {
  version: number;
  op: EntityOp;
  at: number;
  expires_at: number | null;
  /** Sealed JSON text; null for a delete. */
  body: string | null;
};

const MIGRATIONS = [
  `CREATE TABLE versions (version INTEGER PRIMARY KEY, op TEXT NOT NULL, at INTEGER NOT NULL,
     expires_at INTEGER, body TEXT);
   CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, reply TEXT NOT NULL,
     created_at INTEGER NOT NULL);
   CREATE INDEX idempotency_created ON idempotency (created_at)`,
  // Idempotency keys and request fingerprints (a hash of the body) were stored in clear. Records
  // live 24 h and the service had no deployment yet, so they are dropped rather than converted.
  `DELETE FROM idempotency;
   ALTER TABLE idempotency DROP COLUMN fingerprint`,
  // The shell's ledger: the fingerprint sealed in a column of its own, so a delete can drop the
  // replies that showed the document without opening them. Rows from before keep their
  // fingerprint inside the reply, which the ledger still reads; all of them showed a document or
  // may have, so they count as carrying data.
  ledgerFrom("SELECT key, NULL, reply, 1, created_at FROM idempotency"),
  LEDGER_PARTS_TABLE,
];

export class EntityStore extends SqlStore {
  /** The newest kept row as stored (null: none); undefined until first read after a start. */
  private newest: VersionRow | null | undefined;
  private purged: number | undefined;

  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  /** The newest version row, whatever its op; null when nothing is kept. */
  latest(): VersionRow | null {
    if (this.newest === undefined) this.newest = newestVersion<VersionRow>(this.sql);
    return this.newest;
  }

  /** Storage may hold something other than what was remembered: read it again when next asked. */
  forget(): void {
    this.newest = undefined;
    this.purged = undefined;
  }

  /** The live document at `now`: the newest row unless it is a delete or has expired. */
  live(now: number): VersionRow | null {
    const row = this.latest();
    return row && row.op !== "delete" && !isExpired(row.expires_at, now) ? row : null;
  }

  /** True when the newest kept row expired: its data is to be purged, not served. */
  expired(now: number): boolean {
    const row = this.latest();
    return row !== null && isExpired(row.expires_at, now);
  }

  /** A kept version, while the entity has not expired (expired data is never served). */
  readable(version: number, now: number): VersionRow | null {
    if (!this.latest() || this.expired(now)) return null;
    return this.version(version);
  }

  version(version: number): VersionRow | null {
    const newest = this.latest();
    if (newest?.version === version) return newest;
    return versionRow<VersionRow>(this.sql, version);
  }

  page(before: number, limit: number): VersionRow[] {
    return this.sql
      .exec<VersionRow>(
        "SELECT * FROM versions WHERE version < ? ORDER BY version DESC LIMIT ?",
        before,
        limit,
      )
      .toArray();
  }

  /** Kept versions from `version` on, oldest first: what a resuming watcher missed. */
  from(version: number): VersionRow[] {
    return this.sql
      .exec<VersionRow>("SELECT * FROM versions WHERE version >= ? ORDER BY version", version)
      .toArray();
  }

  oldestVersion(): number | null {
    return this.sql.exec<{ v: number | null }>("SELECT MIN(version) AS v FROM versions").one().v;
  }

  /** The counter a purge keeps (see core/entity/decide.ts, nextVersion). */
  purgedVersion(): number {
    this.purged ??= this.storage.kv.get<number>("purgedVersion") ?? 0;
    return this.purged;
  }

  /** A delete keeps no content: every kept version goes, its tombstone (the next row) keeps the number. */
  removeContents(): void {
    this.sql.exec("DELETE FROM versions");
    this.newest = null;
  }

  insert(row: VersionRow, historyLimit: number): void {
    this.sql.exec(
      "INSERT INTO versions (version, op, at, expires_at, body) VALUES (?, ?, ?, ?, ?)",
      row.version,
      row.op,
      row.at,
      row.expires_at,
      row.body,
    );
    this.sql.exec("DELETE FROM versions WHERE version <= ?", row.version - historyLimit);
    this.newest = row;
  }

  /** Expired data is deleted outright, keeping only the version counter. */
  purge(): void {
    const last = this.latest()?.version;
    if (last !== undefined) {
      this.storage.kv.put("purgedVersion", last);
      this.purged = last;
    }
    this.sql.exec("DELETE FROM versions");
    this.newest = null;
  }

  /** Up to `limit` sealed version bodies not sealed with `keyId` (a delete's tombstone has none). */
  versionsNotUnder(keyId: string, limit: number): (VersionRow & { body: string })[] {
    return rowsNotUnder(this.sql, { table: "versions", column: "body", order: "version" }, keyId, limit);
  }

  replaceBody(version: number, body: string): void {
    this.sql.exec("UPDATE versions SET body = ? WHERE version = ?", body, version);
    if (this.newest?.version === version) this.newest = { ...this.newest, body };
  }
}
