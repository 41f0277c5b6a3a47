// Storage for one execution: its history events, sealed one by one, in id order (SQL), and in the
// object's synchronous KV its sealed snapshot and definition copy (each across as many keys as its
// size needs: the snapshot holds every variable and every Map iteration's data, megabytes), the `.waitForTaskToken` tasks
// already called, and the clock floor. A batch of the interpreter is written in one
// transactionSync by ExecutionObject; every method here is synchronous so it can be.
import { CHUNK_CHARS, getChunked, putChunked } from "./shell/chunks";
import { LEDGER_PARTS_TABLE, LEDGER_TABLE } from "./shell/idempotency-ledger";
import { takePage } from "./shell/page-budget";
import { notUnder, rowsNotUnder } from "./shell/stale-rows";
import { SqlStore } from "./sql/sql-store";

export type EventRow = {
  id: number;
  /** Sealed JSON text of the whole event. */
  body: string;
};

const MIGRATIONS = [
  `CREATE TABLE history (id INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL)`,
  // start, stop and callbacks honour Idempotency-Key: the shell's ledger.
  LEDGER_TABLE,
  LEDGER_PARTS_TABLE,
];

/**
 * A batch's events go in as JSON rows of one statement per chunk, not one statement per event:
 * 202 statements were 4.7 ms of a 100-Pass-state execution's 23 ms (bench:profile machine-100).
 */
const INSERT_EVENTS =
  "INSERT OR REPLACE INTO history (id, type, body) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)";
type EventTuple = [id: number, type: string, body: string];

function* eventChunks(events: SealedBatch["events"]): Generator<EventTuple[]> {
  let chunk: EventTuple[] = [];
  let chars = 0;
  for (const e of events) {
    // An estimate (sealed bodies are ASCII, base64url mostly); a chunk is a quarter of the limit.
    const size = e.body.length + e.type.length + 32;
    if (chunk.length > 0 && chars + size > CHUNK_CHARS) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
    chunk.push([e.id, e.type, e.body]);
    chars += size;
  }
  if (chunk.length > 0) yield chunk;
}

/** The sealed values kept in KV, by key. */
export type SealedPart = "snapshot" | "definition";

/** One batch, sealed, as the commit writes it. */
export interface SealedBatch {
  snapshot: string;
  events: { id: number; type: string; body: string }[];
  called: string[];
  clock: number;
  /** Only with the first batch. */
  definition?: string;
}

export class ExecutionStore extends SqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  sealed(part: SealedPart): string | undefined {
    return getChunked(this.storage.kv, part);
  }

  called(): string[] {
    return this.storage.kv.get<string[]>("called") ?? [];
  }

  rememberCalled(called: string[]): void {
    this.storage.kv.put("called", called);
  }

  /** The execution's clock never runs backwards: the latest time it has used. */
  clockFloor(): number {
    return this.storage.kv.get<number>("clock") ?? 0;
  }

  /** Synchronous: inside the batch's transactionSync. */
  write(batch: SealedBatch): void {
    if (batch.definition !== undefined) putChunked(this.storage.kv, "definition", batch.definition);
    putChunked(this.storage.kv, "snapshot", batch.snapshot);
    this.storage.kv.put("called", batch.called);
    this.storage.kv.put("clock", batch.clock);
    for (const chunk of eventChunks(batch.events)) this.sql.exec(INSERT_EVENTS, JSON.stringify(chunk));
  }

  /**
   * Events after `after`, oldest first; in reverse, before `after` (0: the newest), newest first.
   * At most `limit` of them, and past the first no more than `maxChars` of sealed text.
   */
  page(
    after: number,
    limit: number,
    reverse: boolean,
    maxChars: number,
  ): { rows: EventRow[]; more: boolean } {
    const before = after === 0 ? Number.MAX_SAFE_INTEGER : after;
    const cursor = reverse
      ? this.sql.exec<EventRow>(
          "SELECT id, body FROM history WHERE id < ? ORDER BY id DESC LIMIT ?",
          before,
          limit + 1,
        )
      : this.sql.exec<EventRow>(
          "SELECT id, body FROM history WHERE id > ? ORDER BY id LIMIT ?",
          after,
          limit + 1,
        );
    return takePage(cursor, limit, (row) => row.body.length, maxChars);
  }

  /** For key rotation: KV parts and history events not sealed under `keyId`. */
  partsNotUnder(keyId: string): { part: SealedPart; sealed: string }[] {
    const parts: SealedPart[] = ["snapshot", "definition"];
    return parts.flatMap((part) => {
      const sealed = this.sealed(part);
      return sealed !== undefined && notUnder(sealed, keyId) ? [{ part, sealed }] : [];
    });
  }

  replacePart(part: SealedPart, sealed: string): void {
    putChunked(this.storage.kv, part, sealed);
  }

  eventsNotUnder(keyId: string, limit: number): EventRow[] {
    return rowsNotUnder(this.sql, { table: "history", column: "body", order: "id" }, keyId, limit);
  }

  replaceEvent(id: number, body: string): void {
    this.sql.exec("UPDATE history SET body = ? WHERE id = ?", body, id);
  }
}
