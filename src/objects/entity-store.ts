// SQL for one entity: its kept versions (the newest is the live document), its idempotency
// records, and a few scalar settings. Synchronous on purpose: every method runs between awaits,
// so callers can group several into one transactionSync.
import type { EntityOp } from "../core/entity/entity";
import { SEALED_PREFIX } from "../crypto/sealed-format";
import { migrate } from "./sql/migrations";

export type VersionRow = {
  version: number;
  op: EntityOp;
  at: number;
  expires_at: number | null;
  /** Sealed JSON text; null for a delete. */
  body: string | null;
};

export type IdempotencyRow = {
  /** A digest of the Idempotency-Key (see write-request.ts), never the key itself. */
  key: string;
  /** Sealed: the first reply and the request fingerprint. */
  reply: string;
  created_at: number;
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
];

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

export class EntityStore {
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  migrate(): void {
    migrate(this.storage, MIGRATIONS);
  }

  /** The newest version row, whatever its op; null when nothing is kept. */
  latest(): VersionRow | null {
    return (
      this.sql.exec<VersionRow>("SELECT * FROM versions ORDER BY version DESC LIMIT 1").toArray()[0] ?? null
    );
  }

  /** The live document at `now`: the newest row unless it is a delete or has expired. */
  live(now: number): VersionRow | null {
    const row = this.latest();
    return row && row.op !== "delete" && !isExpired(row, now) ? row : null;
  }

  version(version: number): VersionRow | null {
    return (
      this.sql.exec<VersionRow>("SELECT * FROM versions WHERE version = ?", version).toArray()[0] ?? null
    );
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

  /** Versions never restart, even after a purge, so a stale ETag can never match a re-created entity. */
  nextVersion(): number {
    const kept = this.latest()?.version ?? 0;
    return Math.max(kept, this.storage.kv.get<number>("purgedVersion") ?? 0) + 1;
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
  }

  /** Expired data is deleted outright — body, history and stored replies — keeping only the version counter. */
  purge(): void {
    const last = this.latest()?.version;
    if (last !== undefined) this.storage.kv.put("purgedVersion", last);
    this.sql.exec("DELETE FROM versions");
    this.sql.exec("DELETE FROM idempotency");
  }

  idempotency(key: string): IdempotencyRow | null {
    return this.sql.exec<IdempotencyRow>("SELECT * FROM idempotency WHERE key = ?", key).toArray()[0] ?? null;
  }

  remember(row: IdempotencyRow): void {
    this.sql.exec(
      "INSERT INTO idempotency (key, reply, created_at) VALUES (?, ?, ?)",
      row.key,
      row.reply,
      row.created_at,
    );
  }

  /**
   * Up to `limit` sealed version bodies not sealed with `keyId` (found without decrypting: a sealed
   * value names its key in clear). substr, not LIKE: key ids may hold "_", a LIKE wildcard.
   */
  versionsNotUnder(keyId: string, limit: number): { version: number; body: string }[] {
    const head = sealedHead(keyId);
    return this.sql
      .exec<{ version: number; body: string }>(
        "SELECT version, body FROM versions WHERE body IS NOT NULL AND substr(body, 1, ?) != ? ORDER BY version LIMIT ?",
        head.length,
        head,
        limit,
      )
      .toArray();
  }

  /** Up to `limit` stored idempotent replies not sealed with `keyId`. */
  repliesNotUnder(keyId: string, limit: number): { key: string; reply: string }[] {
    const head = sealedHead(keyId);
    return this.sql
      .exec<{ key: string; reply: string }>(
        "SELECT key, reply FROM idempotency WHERE substr(reply, 1, ?) != ? ORDER BY key LIMIT ?",
        head.length,
        head,
        limit,
      )
      .toArray();
  }

  replaceBody(version: number, body: string): void {
    this.sql.exec("UPDATE versions SET body = ? WHERE version = ?", body, version);
  }

  replaceReply(key: string, reply: string): void {
    this.sql.exec("UPDATE idempotency SET reply = ? WHERE key = ?", reply, key);
  }

  pruneIdempotency(now: number): void {
    this.sql.exec("DELETE FROM idempotency WHERE created_at <= ?", now - IDEMPOTENCY_RETENTION_MS);
  }

  oldestIdempotency(): number | null {
    return this.sql.exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM idempotency").one().t;
  }
}

const sealedHead = (keyId: string) => `${SEALED_PREFIX}.${keyId}.`;

export const isExpired = (row: Pick<VersionRow, "expires_at">, now: number): boolean =>
  row.expires_at !== null && row.expires_at <= now;
