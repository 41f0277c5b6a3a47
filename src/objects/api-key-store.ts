// What a key's record keeps besides the record itself (in the object's synchronous KV under
// "record"): the objects that hold its watchers, so a revocation can tell each of them, and its
// unspent watch tickets. The schema is created on the first watch or ticket: verifying a key
// stores nothing.
import type { TicketRecord, WatchedKind, WatchedObject } from "../core/keys/contract";
import { LazySqlStore } from "./sql/sql-store";

const MIGRATIONS = [
  `CREATE TABLE watched (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id));
   CREATE TABLE tickets (hash TEXT PRIMARY KEY, tenant TEXT NOT NULL, target TEXT NOT NULL,
     expires_at INTEGER NOT NULL);
   CREATE INDEX tickets_expiry ON tickets (expires_at)`,
];

type TicketRow = { hash: string; tenant: string; target: string; expires_at: number };

export class ApiKeyStore extends LazySqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  watchedCount(): number {
    if (!this.isReady()) return 0;
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM watched").one().n;
  }

  isWatched(object: WatchedObject): boolean {
    if (!this.isReady()) return false;
    return (
      this.sql.exec("SELECT 1 FROM watched WHERE kind = ? AND id = ?", object.kind, object.id).toArray()
        .length > 0
    );
  }

  addWatched(object: WatchedObject): void {
    this.ensure();
    this.sql.exec("INSERT OR IGNORE INTO watched (kind, id) VALUES (?, ?)", object.kind, object.id);
  }

  removeWatched(object: WatchedObject): void {
    if (!this.isReady()) return;
    this.sql.exec("DELETE FROM watched WHERE kind = ? AND id = ?", object.kind, object.id);
  }

  watched(limit: number): WatchedObject[] {
    if (!this.isReady()) return [];
    return this.sql
      .exec<{ kind: WatchedKind; id: string }>("SELECT kind, id FROM watched LIMIT ?", limit)
      .toArray()
      .map((r) => ({ kind: r.kind, id: r.id }));
  }

  addTicket(ticket: TicketRecord): void {
    this.ensure();
    this.sql.exec(
      "INSERT INTO tickets (hash, tenant, target, expires_at) VALUES (?, ?, ?, ?)",
      ticket.hash,
      ticket.tenant,
      ticket.target,
      ticket.expiresAt,
    );
  }

  /** The ticket, deleted in the same step: a ticket is spent by its first presentation. */
  takeTicket(hash: string): TicketRecord | null {
    if (!this.isReady()) return null;
    const row = this.sql.exec<TicketRow>("SELECT * FROM tickets WHERE hash = ?", hash).toArray()[0];
    if (!row) return null;
    this.sql.exec("DELETE FROM tickets WHERE hash = ?", hash);
    return { hash: row.hash, tenant: row.tenant, target: row.target, expiresAt: row.expires_at };
  }

  pruneTickets(now: number): void {
    if (this.isReady()) this.sql.exec("DELETE FROM tickets WHERE expires_at <= ?", now);
  }

  /** One alarm then prunes every ticket left (each issue prunes the expired ones before it). */
  lastTicketExpiry(): number | null {
    if (!this.isReady()) return null;
    return this.sql.exec<{ t: number | null }>("SELECT MAX(expires_at) AS t FROM tickets").one().t;
  }
}
