// SQL for one session: at most one session row (its idempotency records are the shell's ledger,
// in the same database and schema). Synchronous on purpose: every method runs between awaits, so callers can group several
// into one transactionSync.
//
// The session row is remembered once read: the object is the only writer of its storage, so
// every change to it passes through here, and a read of a current session reads no row after the
// first. `forget` drops it, for a commit that rolled back (what it wrote never existed).
//
// The schema is created lazily, on the first create: reading an unknown id (anyone can make one
// up) must not leave a stored object behind. After the final purge the object deletes all of its
// storage and is back to that empty state.
import type { SessionRecord } from "../core/session/contract";
import { LEDGER_PARTS_TABLE, ledgerFrom } from "./shell/idempotency-ledger";
import { notUnder } from "./shell/stale-rows";
import { LazySqlStore } from "./sql/sql-store";

type SessionRow = {
  id: string;
  tenant: string;
  subject: string | null;
  /** Sealed JSON text; null once revoked. */
  data: string | null;
  version: number;
  created_at: number;
  expires_at: number;
  absolute_expires_at: number;
  sliding: number;
  ttl: number;
  extended_at: number;
  revoked_at: number | null;
};

const MIGRATIONS = [
  `CREATE TABLE session (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, subject TEXT, data TEXT,
     version INTEGER NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
     absolute_expires_at INTEGER NOT NULL, sliding INTEGER NOT NULL, ttl INTEGER NOT NULL,
     extended_at INTEGER NOT NULL, revoked_at INTEGER);
   CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, op TEXT NOT NULL,
     reply TEXT, created_at INTEGER NOT NULL)`,
  // The shell's ledger. Fingerprints were kept in clear (the ledger still reads those) and
  // replies were dropped by op; carries_data says the same: every reply but a revocation's.
  ledgerFrom(
    "SELECT key, fingerprint, reply, CASE WHEN op = 'revoke' THEN 0 ELSE 1 END, created_at FROM idempotency",
  ),
  LEDGER_PARTS_TABLE,
];

/**
 * Set when a derived id (see core/session/ids.ts) is issued, and kept after the final purge: the
 * same idempotency key, reused after its record expired, must never revive a revoked session.
 */
const ISSUED = "issued";

export interface StoredSession {
  record: SessionRecord;
  /** Sealed data; null once revoked. */
  data: string | null;
}

const rowToSession = (row: SessionRow): StoredSession => ({
  record: {
    id: row.id,
    tenant: row.tenant,
    subject: row.subject,
    version: row.version,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    sliding: row.sliding === 1,
    ttl: row.ttl,
    extendedAt: row.extended_at,
    revokedAt: row.revoked_at,
  },
  data: row.data,
});

export class SessionStore extends LazySqlStore {
  /** The row as stored (null: none); undefined until read after a start or a `forget`. */
  private row: StoredSession | null | undefined;

  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  session(): StoredSession | null {
    if (!this.schema.ready) return null;
    if (this.row === undefined) {
      const row = this.sql.exec<SessionRow>("SELECT * FROM session LIMIT 1").toArray()[0];
      this.row = row ? rowToSession(row) : null;
    }
    return this.row;
  }

  /** The version whose data is stored; null when none is (revoked, purged, never created). */
  readonly dataVersion = (): number | null => {
    const stored = this.session();
    return stored?.data ? stored.record.version : null;
  };

  /** Storage may hold something other than what was remembered: read it again when next asked. */
  forget(): void {
    this.row = undefined;
  }

  /** What an update did to the remembered row (left to be read again when none is remembered). */
  private remember(change: (stored: StoredSession) => StoredSession): void {
    if (this.row) this.row = change(this.row);
  }

  /** True when this derived id was ever issued, whatever has happened to the session since. */
  issued(): boolean {
    return this.storage.kv.get<boolean>(ISSUED) === true;
  }

  insert(record: SessionRecord, data: string, derived: boolean): void {
    if (derived) this.storage.kv.put(ISSUED, true);
    this.sql.exec(
      `INSERT INTO session (id, tenant, subject, data, version, created_at, expires_at,
         absolute_expires_at, sliding, ttl, extended_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      record.id,
      record.tenant,
      record.subject,
      data,
      record.version,
      record.createdAt,
      record.expiresAt,
      record.absoluteExpiresAt,
      record.sliding ? 1 : 0,
      record.ttl,
      record.extendedAt,
    );
    this.row = { record: { ...record, subject: record.subject ?? null, revokedAt: null }, data };
  }

  replaceData(data: string, version: number): void {
    this.sql.exec("UPDATE session SET data = ?, version = ?", data, version);
    this.remember((s) => ({ record: { ...s.record, version }, data }));
  }

  /** Only moves the expiry forward, and only of a session that is not revoked. */
  extend(expiresAt: number, now: number): void {
    this.sql.exec(
      "UPDATE session SET expires_at = ?, extended_at = ? WHERE revoked_at IS NULL AND expires_at < ?",
      expiresAt,
      now,
      expiresAt,
    );
    this.remember((s) =>
      s.record.revokedAt === null && s.record.expiresAt < expiresAt
        ? { ...s, record: { ...s.record, expiresAt, extendedAt: now } }
        : s,
    );
  }

  /** Revocation drops the data at once; the row stays until the alarm purges it. */
  revoke(now: number): void {
    this.sql.exec("UPDATE session SET revoked_at = ?, data = NULL WHERE revoked_at IS NULL", now);
    this.remember((s) =>
      s.record.revokedAt === null ? { record: { ...s.record, revokedAt: now }, data: null } : s,
    );
  }

  /** The session is gone for good. */
  purgeSession(): void {
    this.sql.exec("DELETE FROM session");
    this.row = null;
  }

  /** The session's sealed data when it is not under `primary` (a session holds one value). */
  dataNotUnder(primary: string): { data: string; version: number }[] {
    const stored = this.session();
    if (!stored?.data || !notUnder(stored.data, primary)) return [];
    return [{ data: stored.data, version: stored.record.version }];
  }

  /**
   * Deletes every stored byte (schema included); a derived id keeps only its issued mark, in the
   * same commit as the rest goes, so no crash can leave the storage wiped and the mark gone.
   */
  override async wipe(): Promise<void> {
    if (this.issued()) await super.wipeKeeping(ISSUED);
    else await super.wipe();
    this.row = undefined;
  }

  /** Replaces the sealed data of `version`, if it is still the stored one. */
  replaceSealedData(data: string, version: number): void {
    this.sql.exec("UPDATE session SET data = ? WHERE version = ? AND data IS NOT NULL", data, version);
    this.remember((s) => (s.record.version === version && s.data !== null ? { ...s, data } : s));
  }
}
