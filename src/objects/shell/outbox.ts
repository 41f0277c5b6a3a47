// What a commit must tell others (index entries, watchers) leaves through the outbox: a row
// written inside the commit's own transaction, so "committed" and "owed to the receivers" are one
// durable fact. Rows are delivered right after the commit, in commit order per topic, and again
// from the alarm until their receiver acknowledges them, with exponential backoff while it fails:
// a crash between the commit and the delivery loses nothing, and a receiver that is down for an
// hour gets everything once it is back. Delivery is at least once, so receivers apply idempotently
// (index shards keep the rank of what they applied per entity and ignore anything not above it).
import type { Clock } from "../../core/clock";
import type { AlarmConcern } from "./alarm-plan";

/**
 * The outbox's tables, made by its first row (inside that commit's transaction), so an object that
 * never tells anyone anything (an entity of a type without indexes) never has them.
 */
const TABLES = `CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL, message TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS outbox_topic ON outbox (topic, seq);
  CREATE TABLE IF NOT EXISTS outbox_retry (topic TEXT PRIMARY KEY, attempts INTEGER NOT NULL,
    next_at INTEGER NOT NULL)`;

export type OutboxRow = {
  seq: number;
  topic: string;
  /** JSON text, the topic's own format. */
  message: string;
  at: number;
};

/**
 * Delivers a topic's oldest rows, in order: resolves "delivered" once the receiver acknowledged
 * all of them, "gone" when the receiver no longer exists (the topic is dropped); throws to retry.
 */
export type Transport = (topic: string, rows: OutboxRow[]) => Promise<"delivered" | "gone">;

/** Rows handed to the transport at once: receivers may fold a burst into one change. */
export const OUTBOX_BATCH = 256;
/** When a row is not delivered by then (the object crashed after its commit), the alarm delivers it. */
export const BACKSTOP_MS = 2_000;
/** A delivery that has not answered by then counts as failed (it may still land: receivers are idempotent). */
export const DELIVERY_TIMEOUT_MS = 30_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

export const retryDelay = (attempts: number): number =>
  Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));

export class Outbox implements AlarmConcern {
  readonly name = "outbox";
  /** The earliest row added by the transaction being committed; taken by `takeAdded`. */
  private addedAt: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** Known to hold no row (most objects, most of the time): the alarm plan asks on every write. */
  private empty: boolean | undefined;
  /** Whether the tables exist; undefined until asked (or after a rollback that may have undone them). */
  private created: boolean | undefined;

  /** @param transport replaceable, so a test can make a receiver fail (as it replaces the clock). */
  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
    public transport: Transport,
  ) {}

  /** Synchronous: inside the commit's transaction. */
  add(topic: string, message: string): void {
    if (!this.ready()) {
      this.sql.exec(TABLES);
      this.created = true;
    }
    const at = this.clock.now();
    this.sql.exec("INSERT INTO outbox (topic, message, at) VALUES (?, ?, ?)", topic, message, at);
    this.addedAt ??= at;
    this.empty = false;
  }

  /** After the commit: when the transaction added rows, the earliest one's time (then forgotten). */
  takeAdded(): number | null {
    const at = this.addedAt;
    this.addedAt = null;
    // A rolled-back transaction may have added rows (or tables) that are not there: ask storage.
    if (at !== null) {
      this.empty = undefined;
      this.created = undefined;
    }
    return at;
  }

  /** The rows of a topic whose receiver is gone or no longer wanted. Synchronous. */
  dropTopic(topic: string): void {
    if (!this.ready()) return;
    this.sql.exec("DELETE FROM outbox WHERE topic = ?", topic);
    this.sql.exec("DELETE FROM outbox_retry WHERE topic = ?", topic);
    this.empty = undefined;
  }

  pending(topic?: string): number {
    if (!this.ready()) return 0;
    const cursor =
      topic === undefined
        ? this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox")
        : this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE topic = ?", topic);
    return cursor.one().n;
  }

  /** A failing topic retries at its backoff; any other row is owed BACKSTOP_MS after its commit. */
  dueAt(): number | null {
    if (!this.ready() || this.isEmpty()) return null;
    const retry = this.sql.exec<{ t: number | null }>("SELECT MIN(next_at) AS t FROM outbox_retry").one().t;
    const fresh = this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(at) AS t FROM outbox WHERE topic NOT IN (SELECT topic FROM outbox_retry)",
      )
      .one().t;
    const backstop = fresh === null ? null : fresh + BACKSTOP_MS;
    if (retry === null) return backstop;
    return backstop === null ? retry : Math.min(retry, backstop);
  }

  /**
   * Delivers every topic that is not waiting out a backoff. One delivery runs at a time: a call
   * while one runs makes it go round once more, and resolves when it is done, so whoever awaits
   * this has seen every row that existed when it called delivered or failed.
   */
  deliver(): Promise<void> {
    if (!this.ready() || this.isEmpty()) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const now = this.clock.now();
      const topics = this.sql
        .exec<{ topic: string }>(
          `SELECT DISTINCT o.topic FROM outbox o LEFT JOIN outbox_retry r ON r.topic = o.topic
             WHERE r.next_at IS NULL OR r.next_at <= ?`,
          now,
        )
        .toArray();
      await Promise.all(topics.map(({ topic }) => this.deliverTopic(topic)));
    } while (this.again);
    this.empty = undefined;
  }

  private ready(): boolean {
    this.created ??=
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").toArray().length >
      0;
    return this.created;
  }

  private isEmpty(): boolean {
    this.empty ??= this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length === 0;
    return this.empty;
  }

  private async deliverTopic(topic: string): Promise<void> {
    for (;;) {
      const rows = this.sql
        .exec<OutboxRow>("SELECT * FROM outbox WHERE topic = ? ORDER BY seq LIMIT ?", topic, OUTBOX_BATCH)
        .toArray();
      if (rows.length === 0) return void this.sql.exec("DELETE FROM outbox_retry WHERE topic = ?", topic);
      let outcome: "delivered" | "gone";
      try {
        outcome = await withTimeout(this.transport(topic, rows), DELIVERY_TIMEOUT_MS);
      } catch (e) {
        return this.failed(topic, e);
      }
      if (outcome === "gone") this.dropTopic(topic);
      else {
        this.sql.exec("DELETE FROM outbox WHERE topic = ? AND seq <= ?", topic, rows[rows.length - 1]!.seq);
        this.sql.exec("DELETE FROM outbox_retry WHERE topic = ?", topic);
      }
    }
  }

  private failed(topic: string, cause: unknown): void {
    const row = this.sql
      .exec<{ attempts: number }>("SELECT attempts FROM outbox_retry WHERE topic = ?", topic)
      .toArray()[0];
    const attempts = (row?.attempts ?? 0) + 1;
    const nextAt = this.clock.now() + retryDelay(attempts);
    this.sql.exec(
      "INSERT OR REPLACE INTO outbox_retry (topic, attempts, next_at) VALUES (?, ?, ?)",
      topic,
      attempts,
      nextAt,
    );
    console.error(JSON.stringify({ event: "outbox_delivery_failed", topic, attempts, cause: String(cause) }));
  }
}

/** A receiver that never answers must not hold the one delivery that runs at a time forever. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
