// SQL for one subject's index: which sessions it has, when each began, and the expiry the index
// last learned. The index is a superset of the subject's live sessions (a row is written before
// its session is created, and removed only once the session is known to be gone), so "revoke all"
// can never miss one; anything read from it is confirmed with the session before it is trusted.
// Like a session, the schema is created on the first write and deleted with the last row.
import { LEDGER_PARTS_TABLE, LEDGER_TABLE } from "./shell/idempotency-ledger";
import { LazySqlStore } from "./sql/sql-store";

export type IndexRow = {
  id: string;
  created_at: number;
  /** The expiry the index last learned; sliding sessions may have moved theirs since. */
  expires_at: number;
};

const MIGRATIONS = [
  `CREATE TABLE sessions (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
   CREATE INDEX sessions_created ON sessions (created_at);
   CREATE INDEX sessions_expires ON sessions (expires_at)`,
  // "Log out everywhere" honours Idempotency-Key: the shell's ledger.
  LEDGER_TABLE,
  LEDGER_PARTS_TABLE,
];

export class SubjectStore extends LazySqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  /** False when the id was already indexed. */
  add(row: IndexRow): boolean {
    this.ensure();
    return (
      this.sql.exec(
        "INSERT OR IGNORE INTO sessions (id, created_at, expires_at) VALUES (?, ?, ?)",
        row.id,
        row.created_at,
        row.expires_at,
      ).rowsWritten > 0
    );
  }

  /** Updates a row that is still there; never re-adds one that was removed meanwhile. */
  set(row: IndexRow): void {
    this.sql.exec(
      "UPDATE sessions SET created_at = ?, expires_at = ? WHERE id = ?",
      row.created_at,
      row.expires_at,
      row.id,
    );
  }

  remove(id: string): void {
    if (this.schema.ready) this.sql.exec("DELETE FROM sessions WHERE id = ?", id);
  }

  /** Oldest first; rowid breaks ties between sessions created in the same millisecond. */
  all(): IndexRow[] {
    if (!this.schema.ready) return [];
    return this.sql.exec<IndexRow>("SELECT * FROM sessions ORDER BY created_at, rowid").toArray();
  }

  oldest(limit: number, except: string): IndexRow[] {
    return this.sql
      .exec<IndexRow>(
        "SELECT * FROM sessions WHERE id != ? ORDER BY created_at, rowid LIMIT ?",
        except,
        limit,
      )
      .toArray();
  }

  /** Rows whose last known expiry has passed: dead, or extended since. */
  stale(now: number): IndexRow[] {
    if (!this.schema.ready) return [];
    return this.sql.exec<IndexRow>("SELECT * FROM sessions WHERE expires_at <= ?", now).toArray();
  }

  count(): number {
    if (!this.schema.ready) return 0;
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sessions").one().n;
  }

  nextExpiry(): number | null {
    if (!this.schema.ready) return null;
    return this.sql.exec<{ t: number | null }>("SELECT MIN(expires_at) AS t FROM sessions").one().t;
  }
}
