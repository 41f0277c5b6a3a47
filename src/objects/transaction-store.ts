// Storage of one transaction's coordinator: the verdict of each attempt that must still be told to
// participants (in the object's synchronous KV: no schema to create, so a transaction without an
// Idempotency-Key runs no migration), and the shell's idempotency ledger (SQL, created on the
// first keyed reply). An attempt is stored only once decided — the verdict and who is owed it, in
// the commit that decides, before anyone is told. An undecided attempt lives in memory only, so a
// coordinator that crashes before deciding has nothing to recover, and its participants learn
// "abort" when they ask. All storage goes once nothing is owed and no reply is kept.
import type { Verdict } from "../core/transactions/contract";
import { LEDGER_PARTS_TABLE, LEDGER_TABLE } from "./shell/idempotency-ledger";
import { notUnder } from "./shell/stale-rows";
import { LazySqlStore } from "./sql/sql-store";

export interface AttemptRow {
  id: string;
  verdict: Verdict;
  /** Sealed JSON: the participants' [type, id] pairs, in operation order. */
  participants: string;
  /** Indices of the participants not yet acknowledging the verdict. */
  pending: number[];
  retryAt: number;
  tries: number;
}

const ATTEMPT = "attempt/";

export class TransactionStore extends LazySqlStore {
  constructor(storage: DurableObjectStorage) {
    super(storage, [LEDGER_TABLE, LEDGER_PARTS_TABLE]);
  }

  attempt(id: string): AttemptRow | null {
    return this.storage.kv.get<AttemptRow>(`${ATTEMPT}${id}`) ?? null;
  }

  attempts(): AttemptRow[] {
    return [...this.storage.kv.list<AttemptRow>({ prefix: ATTEMPT })].map(([, row]) => row);
  }

  /** Attempts whose verdict is due to be told again at `now`. */
  due(now: number): AttemptRow[] {
    return this.attempts().filter((row) => row.retryAt <= now);
  }

  nextRetry(): number | null {
    const times = this.attempts().map((row) => row.retryAt);
    return times.length ? Math.min(...times) : null;
  }

  /** Synchronous, inside the commit that decides. */
  insert(row: AttemptRow): void {
    this.storage.kv.put(`${ATTEMPT}${row.id}`, row);
  }

  /** Some participants acknowledged: the rest are told again at `retryAt`; none left, the attempt goes. */
  acknowledged(row: AttemptRow, pending: number[], retryAt: number): void {
    if (pending.length === 0) this.storage.kv.delete(`${ATTEMPT}${row.id}`);
    else this.insert({ ...row, pending, retryAt, tries: row.tries + 1 });
  }

  participantsNotUnder(keyId: string, limit: number): AttemptRow[] {
    return this.attempts()
      .filter((row) => notUnder(row.participants, keyId))
      .slice(0, limit);
  }

  replaceParticipants(row: AttemptRow, participants: string): void {
    this.insert({ ...row, participants });
  }
}
