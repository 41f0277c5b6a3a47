// Keeps an object's KV index key in step with its committed state, durably and within KV's limit
// of about one write per key per second. A commit marks the index due (inside its own storage
// transaction, so the mark cannot be lost); `flush` writes whatever is current when due; the
// object's one alarm includes `dueAt()`, so a write that failed or was deferred happens later even
// after an eviction.

const KV_WRITE_INTERVAL_MS = 1_000;

export class IndexSync {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly write: () => Promise<void>,
  ) {}

  /** Synchronous: call it inside the commit's transactionSync. */
  markDue(now: number): void {
    const last = this.storage.kv.get<number>("indexWrittenAt") ?? 0;
    this.storage.kv.put("indexDueAt", Math.max(now, last + KV_WRITE_INTERVAL_MS));
  }

  dueAt(): number | null {
    return this.storage.kv.get<number>("indexDueAt") ?? null;
  }

  /** Writes the index if it is due; a failure leaves it due for the next alarm. */
  async flush(now: number): Promise<void> {
    const due = this.dueAt();
    if (due === null || due > now) return;
    try {
      await this.write();
    } catch (e) {
      console.error(JSON.stringify({ event: "kv_index_write_failed", cause: String(e) }));
      this.storage.kv.put("indexDueAt", now + KV_WRITE_INTERVAL_MS);
      return;
    }
    this.storage.kv.put("indexWrittenAt", now);
    // A commit during the write marked it due again: keep that mark.
    if (this.storage.kv.get<number>("indexDueAt") === due) this.storage.kv.delete("indexDueAt");
  }
}
