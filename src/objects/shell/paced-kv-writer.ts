// Keeps one KV key (or a group of keys) of an object in step with what it committed, within KV's
// limit of about one write per key per second. The writer always writes whatever is current when
// it runs, so a burst of commits converges on the latest state with one write per interval.
//
// Two ways to owe a write:
// - `markDue` inside the commit's transaction: the debt is as durable as the commit (execution and
//   machine indexes, written from the alarm);
// - `soon` after the commit: write at once if the interval allows (the entity's copy, whose
//   committed plaintext is at hand), otherwise record the due time once per interval.
// Either way the object's alarm plan includes `dueAt()`, so a deferred or failed write happens
// later, after an eviction too.
import type { Clock } from "../../core/clock";
import type { AlarmConcern } from "./alarm-plan";

export const KV_WRITE_INTERVAL_MS = 1_000;

export class PacedKvWriter implements AlarmConcern {
  /** In memory: after an eviction the next write may come early once, which KV tolerates. */
  private lastWrittenAt = 0;
  private readonly dueKey: string;

  /**
   * @param name what the key holds ("cache", "index"); the due time is stored as `<name>DueAt`.
   * @param write writes whatever is current; a rejection leaves the write owed.
   * @param owed called after a write became owed outside a commit, so the object re-arms its alarm.
   */
  constructor(
    private readonly storage: DurableObjectStorage,
    readonly name: string,
    private readonly write: () => Promise<void>,
    private readonly clock: Clock,
    private readonly owed: () => Promise<void>,
  ) {
    this.dueKey = `${name}DueAt`;
  }

  dueAt(): number | null {
    return this.storage.kv.get<number>(this.dueKey) ?? null;
  }

  /** Synchronous: call it inside the commit's transactionSync. */
  markDue(now: number): void {
    this.storage.kv.put(this.dueKey, Math.max(now, this.lastWrittenAt + KV_WRITE_INTERVAL_MS));
  }

  /**
   * After a commit: the write itself when the pace allows (hand it to waitUntil), else null and the
   * write is owed at the end of the interval. `now` lets the caller pass the plaintext it has.
   */
  soon(now: number, write: () => Promise<void> = this.write): Promise<void> | null {
    if (now - this.lastWrittenAt >= KV_WRITE_INTERVAL_MS) {
      this.lastWrittenAt = now;
      return write().catch((e) => this.failed(e));
    }
    // In a burst every commit lands in the same interval: store its due time once, not per commit.
    const due = this.lastWrittenAt + KV_WRITE_INTERVAL_MS;
    if (this.dueAt() !== due) this.storage.kv.put(this.dueKey, due);
    void this.owed();
    return null;
  }

  /** From the alarm: writes if due; a failure leaves it due for a later alarm. */
  async flush(): Promise<void> {
    const due = this.dueAt();
    const now = this.clock.now();
    if (due === null || due > now) return;
    this.lastWrittenAt = now;
    try {
      await this.write();
    } catch (e) {
      return this.failed(e);
    }
    // A commit during the write marked it due again: keep that mark.
    if (this.dueAt() === due) this.storage.kv.delete(this.dueKey);
  }

  private async failed(cause: unknown): Promise<void> {
    console.error(JSON.stringify({ event: `kv_${this.name}_write_failed`, cause: String(cause) }));
    this.storage.kv.put(this.dueKey, this.clock.now() + KV_WRITE_INTERVAL_MS);
    await this.owed();
  }
}
