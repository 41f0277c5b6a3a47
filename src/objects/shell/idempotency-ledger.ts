// Idempotency records, the same in every object: one row per key digest (write-request.ts and
// core/idempotency.ts make digests; no object sees a key in clear), holding the request's
// fingerprint and the first reply, both sealed, for IDEMPOTENCY_RETENTION_MS.
//
// The fingerprint is sealed on its own, beside the reply, so the reply can be dropped without
// decrypting anything: when the data a reply showed is deleted (an entity deleted or expired, a
// session revoked), `withdraw` empties those replies in the same transaction, and the key stays
// spent — a retry is refused with the object's "gone" answer, a different request under the key
// is still a 422, and neither ever applies the write again.
//
// A reply shows the data written as a JSON string, escaped once more: a 1 MiB document of short
// strings is a 2.3 MB sealed reply, over the 2 MB production allows per SQL value. So the sealed
// reply's first chunk stays in `reply` (rotation finds stale rows by its head, as before) and the
// rest goes in `idempotency_parts`, written, replaced and deleted with the row.
import type { Keyed, Reply } from "../../core/idempotency";
import { type Failure, fail, type Result } from "../../core/result";
import { SEALED_PREFIX } from "../../crypto/sealed-format";
import type { AlarmConcern } from "./alarm-plan";
import { CHUNK_CHARS, splitChunks } from "./chunks";
import type { Place, SealedValues } from "./sealed-values";
import { sealedHead } from "./stale-rows";

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The ledger's table, for each object's migrations. */
export const LEDGER_TABLE = `CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT,
  reply TEXT, carries_data INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
  CREATE INDEX idempotency_created ON idempotency (created_at)`;

/** The rest of each reply past its first chunk (a migration after the ledger's table, in every object). */
export const LEDGER_PARTS_TABLE = `CREATE TABLE idempotency_parts (key TEXT NOT NULL, part INTEGER NOT NULL,
  text TEXT NOT NULL, PRIMARY KEY (key, part))`;

/**
 * A migration that rebuilds an object's older idempotency table as the ledger's (SQLite cannot
 * relax a NOT NULL in place). `select` reads the old rows as (key, fingerprint, reply,
 * carries_data, created_at).
 */
export const ledgerFrom = (select: string) => `CREATE TABLE idempotency_ledger (key TEXT PRIMARY KEY,
  fingerprint TEXT, reply TEXT, carries_data INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
  INSERT INTO idempotency_ledger (key, fingerprint, reply, carries_data, created_at) ${select};
  DROP TABLE idempotency;
  ALTER TABLE idempotency_ledger RENAME TO idempotency;
  CREATE INDEX idempotency_created ON idempotency (created_at)`;

type Row = {
  key: string;
  /** Sealed; null in rows an entity wrote before fingerprints had their own column (inside the reply). */
  fingerprint: string | null;
  /** Sealed first reply (its first chunk, as stored); null once withdrawn. */
  reply: string | null;
  carries_data: number;
  created_at: number;
};

/** A record sealed before its transaction, stored by `store` inside it. */
export interface PreparedRecord {
  row: Row;
}

export class IdempotencyLedger implements AlarmConcern {
  readonly name = "idempotency";
  /**
   * The oldest record's created_at (null: none), remembered once read: records are only added and
   * pruned through here, so the alarm plan asks SQL once per start rather than on every write.
   */
  private oldest: number | null | undefined;

  /**
   * @param kind the seal kind of replies ("idempotency", "session-idempotency", …); fingerprints use
   *   `<kind>-fingerprint`, so neither can stand in for the other.
   * @param ready false while an object's lazily created schema does not exist yet.
   */
  constructor(
    private readonly sql: SqlStorage,
    private readonly sealed: SealedValues,
    private readonly kind: string,
    private readonly ready: () => boolean = () => true,
  ) {}

  /**
   * What a keyed request gets before anything is decided: the first reply again, a refusal, the
   * object's `gone` answer when the reply was withdrawn, or null for a request this key has not seen.
   */
  async recall<T>(place: Place, request: Keyed, gone: () => Result<T>): Promise<Reply<T> | null> {
    const key = request.idempotency;
    if (!key || !this.ready()) return null;
    const row = this.sql.exec<Row>("SELECT * FROM idempotency WHERE key = ?", key.key).toArray()[0];
    if (!row) return null;
    const fresh = (outcome: Result<T>): Reply<T> => ({
      outcome,
      requestId: request.requestId,
      replayed: false,
    });
    const reply = this.whole(row);
    const opened = reply === null ? null : await this.sealed.open(reply, place(this.kind, row.key));
    if (opened && !opened.ok) return fresh(opened);
    const first = opened ? (JSON.parse(opened.value) as Omit<Reply<T>, "replayed"> & Legacy) : null;
    const fingerprint = await this.fingerprintOf(place, row, first);
    if (fingerprint !== null && typeof fingerprint !== "string") return fresh(fingerprint);
    if (fingerprint !== null && fingerprint !== key.fingerprint) {
      return fresh(fail("idempotency_mismatch", "this Idempotency-Key was used with a different request"));
    }
    if (!first) return fresh(gone());
    return { outcome: first.outcome, requestId: first.requestId, replayed: true };
  }

  /** Seals the record of a first reply; null when the request carried no key. */
  async prepare<T>(
    place: Place,
    request: Keyed,
    first: Omit<Reply<T>, "replayed">,
    carriesData: boolean,
    now: number,
  ): Promise<PreparedRecord | null> {
    const key = request.idempotency;
    if (!key) return null;
    const [fingerprint, reply] = await Promise.all([
      this.sealed.seal(key.fingerprint, place(`${this.kind}-fingerprint`, key.key)),
      this.sealed.seal(JSON.stringify(first), place(this.kind, key.key)),
    ]);
    return { row: { key: key.key, fingerprint, reply, carries_data: carriesData ? 1 : 0, created_at: now } };
  }

  /** Synchronous: inside the commit's transaction. */
  store(record: PreparedRecord | null): void {
    if (!record) return;
    const { key, fingerprint, reply, carries_data, created_at } = record.row;
    const { head, rest } = inChunks(reply);
    this.sql.exec(
      "INSERT INTO idempotency (key, fingerprint, reply, carries_data, created_at) VALUES (?, ?, ?, ?, ?)",
      key,
      fingerprint,
      head,
      carries_data,
      created_at,
    );
    // A new key (the INSERT above would fail otherwise): no parts of it exist to replace.
    this.insertParts(key, rest);
    if (this.oldest !== undefined) this.oldest = Math.min(this.oldest ?? created_at, created_at);
  }

  /** The data that replies showed is gone: so are those replies. Synchronous, for the same transaction. */
  withdraw(): void {
    if (!this.ready()) return;
    this.sql.exec(
      "DELETE FROM idempotency_parts WHERE key IN (SELECT key FROM idempotency WHERE carries_data = 1)",
    );
    this.sql.exec("UPDATE idempotency SET reply = NULL WHERE carries_data = 1");
  }

  prune(now: number): void {
    if (!this.ready()) return;
    const cutoff = now - IDEMPOTENCY_RETENTION_MS;
    // Nothing is old enough: no statement to run, and the oldest stays what it was.
    if (this.oldest === null || (this.oldest !== undefined && this.oldest > cutoff)) return;
    this.sql.exec(
      "DELETE FROM idempotency_parts WHERE key IN (SELECT key FROM idempotency WHERE created_at <= ?)",
      cutoff,
    );
    this.sql.exec("DELETE FROM idempotency WHERE created_at <= ?", cutoff);
    this.oldest = undefined;
  }

  /** When the oldest record may go (the alarm's idempotency concern). */
  dueAt(): number | null {
    if (!this.ready()) return null;
    if (this.oldest === undefined)
      this.oldest = this.sql
        .exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM idempotency")
        .one().t;
    return this.oldest === null ? null : this.oldest + IDEMPOTENCY_RETENTION_MS;
  }

  /** Storage may hold other records than remembered (a rolled-back commit, a wiped object). */
  forget(): void {
    this.oldest = undefined;
  }

  count(): number {
    if (!this.ready()) return 0;
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency").one().n;
  }

  /**
   * Re-seals up to `limit` records holding a value not under `primary` (legacy forms included:
   * they come back in today's form). Returns the writes for one transaction, or the failure.
   */
  async reseal(place: Place, primary: string, limit: number): Promise<Result<(() => void)[]>> {
    if (!this.ready()) return { ok: true, value: [] };
    const head = sealedHead(primary);
    const rows = this.sql
      .exec<Row>(
        `SELECT * FROM idempotency WHERE (fingerprint IS NULL AND reply IS NOT NULL)
           OR (fingerprint IS NOT NULL AND substr(fingerprint, 1, ?1) != ?2)
           OR (reply IS NOT NULL AND substr(reply, 1, ?1) != ?2) ORDER BY key LIMIT ?3`,
        head.length,
        head,
        limit,
      )
      .toArray();
    const writes: (() => void)[] = [];
    for (const row of rows) {
      const whole = this.whole(row);
      const opened = whole === null ? null : await this.sealed.open(whole, place(this.kind, row.key));
      if (opened && !opened.ok) return opened;
      const { fingerprint: inside, ...first } = opened
        ? (JSON.parse(opened.value) as Legacy)
        : { fingerprint: undefined };
      const fingerprint = await this.fingerprintOf(place, row, { fingerprint: inside });
      if (fingerprint !== null && typeof fingerprint !== "string") return fingerprint;
      // A legacy row whose fingerprint cannot be recovered stays spent: "" matches no request.
      const sealedFingerprint = await this.sealed.seal(
        fingerprint ?? "",
        place(`${this.kind}-fingerprint`, row.key),
      );
      const reply = opened ? await this.sealed.seal(JSON.stringify(first), place(this.kind, row.key)) : null;
      const { head, rest } = inChunks(reply);
      writes.push(() => {
        this.sql.exec(
          "UPDATE idempotency SET fingerprint = ?, reply = ? WHERE key = ?",
          sealedFingerprint,
          head,
          row.key,
        );
        this.storeParts(row.key, rest);
      });
    }
    return { ok: true, value: writes };
  }

  /** The sealed reply whole: its first chunk joined with the rest. */
  private whole(row: Row): string | null {
    if (row.reply === null) return null;
    // Only a reply cut into pieces has a whole first chunk: a shorter one is all there is.
    if (row.reply.length < CHUNK_CHARS) return row.reply;
    const rest = this.sql
      .exec<{ text: string }>("SELECT text FROM idempotency_parts WHERE key = ? ORDER BY part", row.key)
      .toArray();
    return rest.length === 0 ? row.reply : row.reply + rest.map((r) => r.text).join("");
  }

  /** Synchronous: the chunks after the first of `key`'s reply, replacing any it had. */
  private storeParts(key: string, rest: string[]): void {
    this.sql.exec("DELETE FROM idempotency_parts WHERE key = ?", key);
    this.insertParts(key, rest);
  }

  private insertParts(key: string, rest: string[]): void {
    for (const [i, text] of rest.entries())
      this.sql.exec("INSERT INTO idempotency_parts (key, part, text) VALUES (?, ?, ?)", key, i + 1, text);
  }

  /**
   * The fingerprint in clear: from its sealed column; from inside the reply for rows an entity
   * wrote before the column existed; as stored for rows a session wrote when fingerprints were
   * kept in clear; null when a legacy row's reply (and with it the fingerprint) was withdrawn.
   */
  private async fingerprintOf(
    place: Place,
    row: Row,
    first: Legacy | null,
  ): Promise<string | null | Failure> {
    if (row.fingerprint === null) return first?.fingerprint ?? null;
    if (!row.fingerprint.startsWith(`${SEALED_PREFIX}.`)) return row.fingerprint;
    const opened = await this.sealed.open(row.fingerprint, place(`${this.kind}-fingerprint`, row.key));
    return opened.ok ? opened.value : opened;
  }
}

/** A sealed reply as stored: its first chunk in the row, the rest in idempotency_parts. */
function inChunks(reply: string | null): { head: string | null; rest: string[] } {
  const pieces = reply === null ? [] : splitChunks(reply);
  return { head: pieces[0] ?? null, rest: pieces.slice(1) };
}

/** Replies an entity sealed before fingerprints had their own column carried it inside. */
type Legacy = { fingerprint?: string | undefined };
