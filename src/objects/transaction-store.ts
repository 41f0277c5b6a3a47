// SQL for one transaction's coordinator: the verdict of each attempt that must still be told to
// participants, and the shell's idempotency ledger. An attempt is stored only once decided (the
// verdict and who is owed it, in one commit, before anyone is told); an undecided attempt lives in
// memory only, so a coordinator that crashes before deciding has nothing to recover and its
// participants learn "abort" when they ask. The schema is created on the first decision and all
// storage goes once nothing is owed and no reply is kept.
import type { Verdict } from "../core/transactions/contract";
import { LEDGER_TABLE } from "./shell/idempotency-ledger";
import { rowsNotUnder } from "./shell/stale-rows";
import { LazySqlStore } from "./sql/sql-store";

export type AttemptRow = {
  id: string;
  verdict: Verdict;
  /** Sealed JSON: the participants' [type, id] pairs, in operation order. */
  participants: string;
  /** JSON: indices of the participants not yet acknowledging the verdict. */
  pending: string;
  retry_at: number;
  tries: number;
  created_at: number;
};

const MIGRATIONS = [
  `CREATE TABLE attempts (id TEXT PRIMARY KEY, verdict TEXT NOT NULL, participants TEXT NOT NULL,
     pending TEXT NOT NULL, retry_at INTEGER NOT NULL, tries INTEGER NOT NULL, created_at INTEGER NOT NULL);
   ${LEDGER_TABLE}`,
];

export class TransactionStore extends LazySqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, MIGRATIONS);
  }

  attempt(id: string): AttemptRow | null {
    if (!this.isReady()) return null;
    return this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE id = ?", id).toArray()[0] ?? null;
  }

  /** Attempts whose verdict is due to be told again at `now`. */
  due(now: number): AttemptRow[] {
    if (!this.isReady()) return [];
    return this.sql
      .exec<AttemptRow>("SELECT * FROM attempts WHERE retry_at <= ? ORDER BY retry_at", now)
      .toArray();
  }

  nextRetry(): number | null {
    if (!this.isReady()) return null;
    return this.sql.exec<{ t: number | null }>("SELECT MIN(retry_at) AS t FROM attempts").one().t;
  }

  count(): number {
    if (!this.isReady()) return 0;
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM attempts").one().n;
  }

  /** Synchronous, inside the decision's commit (after `ensure`). */
  insert(row: AttemptRow): void {
    this.sql.exec(
      `INSERT INTO attempts (id, verdict, participants, pending, retry_at, tries, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.verdict,
      row.participants,
      row.pending,
      row.retry_at,
      row.tries,
      row.created_at,
    );
  }

  /** Some participants acknowledged: the rest are told again at `retryAt`; none left, the attempt goes. */
  acknowledged(id: string, pending: number[], retryAt: number): void {
    if (pending.length === 0) this.sql.exec("DELETE FROM attempts WHERE id = ?", id);
    else
      this.sql.exec(
        "UPDATE attempts SET pending = ?, retry_at = ?, tries = tries + 1 WHERE id = ?",
        JSON.stringify(pending),
        retryAt,
        id,
      );
  }

  participantsNotUnder(keyId: string, limit: number): AttemptRow[] {
    if (!this.isReady()) return [];
    return rowsNotUnder(this.sql, { table: "attempts", column: "participants", order: "id" }, keyId, limit);
  }

  replaceParticipants(id: string, sealed: string): void {
    this.sql.exec("UPDATE attempts SET participants = ? WHERE id = ?", sealed, id);
  }
}
