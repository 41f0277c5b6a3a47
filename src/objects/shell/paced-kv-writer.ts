// Keeps one KV key (or a group of keys) of an object in step with what it committed, within KV's
// limit of about one write per key per second. The writer always writes whatever is current when
// it runs, so a burst of commits converges on the latest state with one write per interval.
//
// Three ways to owe a write:
// - `markDue` inside the commit's transaction: the debt is as durable as the commit (execution and
//   machine indexes, written from the alarm);
// - `soon` after the commit: write at once if the interval allows (the entity's copy, whose
//   committed plaintext is at hand), otherwise record the due time once per interval;
// - `later` after the commit: a write that may wait (an entity's list entry when only its version
//   changed), owed in memory only, so the commit writes no row for it. An instance that went away
//   with such a debt cannot know it had one: `unsure` says when a write may be owed after a start,
//   and the first alarm or commit settles it (at worst one write that was not needed).
// Either way the object's alarm plan includes `dueAt()`, so a deferred or failed write happens
// later, after an eviction too.
import type { Clock } from "../../core/clock";
import type { AlarmConcern } from "./alarm-plan";

export const KV_WRITE_INTERVAL_MS = 1_000;

export interface PacedKvWriterOptions {
  /** After a start, before anything was owed or written: when a `later` write may still be owed. */
  unsure?: () => number | null;
}

export class PacedKvWriter implements AlarmConcern {
  /** In memory: after an eviction the next write may come early once, which KV tolerates. */
  private lastWrittenAt = 0;
  private readonly dueKey: string;
  /** The stored due time (null: none), remembered once read: only this writer writes its key. */
  private stored: number | null | undefined;
  /** A `later` write's due time (null: none owed); undefined until this instance knows. */
  private lazy: number | null | undefined;
  /** The write in flight: the next one starts after it, so the last to land is the newest. */
  private tail: Promise<void> = Promise.resolve();

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
    private readonly options: PacedKvWriterOptions = {},
  ) {
    this.dueKey = `${name}DueAt`;
    if (!options.unsure) this.lazy = null;
  }

  dueAt(): number | null {
    const stored = this.storedDue();
    const lazy = this.lazy === undefined ? (this.options.unsure?.() ?? null) : this.lazy;
    if (stored === null) return lazy;
    return lazy === null ? stored : Math.min(stored, lazy);
  }

  /** Synchronous: call it inside the commit's transactionSync. */
  markDue(now: number): void {
    this.store(Math.max(now, this.lastWrittenAt + KV_WRITE_INTERVAL_MS));
  }

  /**
   * After a commit: the write itself when the pace allows (hand it to waitUntil), else null and the
   * write is owed at the end of the interval. `now` lets the caller pass the plaintext it has.
   */
  soon(now: number, write: () => Promise<void> = this.write): Promise<void> | null {
    if (now - this.lastWrittenAt >= KV_WRITE_INTERVAL_MS) {
      this.lastWrittenAt = now;
      // Whatever `later` owed is written now: the write takes what is current.
      this.lazy = null;
      const run = this.tail.then(() => write());
      this.tail = run.catch(() => undefined);
      return run.catch((e) => this.failed(e));
    }
    // In a burst every commit lands in the same interval: store its due time once, not per commit.
    const due = this.lastWrittenAt + KV_WRITE_INTERVAL_MS;
    if (this.storedDue() !== due) this.store(due);
    void this.owed();
    return null;
  }

  /**
   * After a commit whose write can wait up to `withinMs`: owed in memory (the caller's alarm
   * re-arm picks it up), so no row is written for it; an earlier debt keeps its time.
   */
  later(now: number, withinMs: number): void {
    const due = now + withinMs;
    if (this.lazy === undefined || this.lazy === null || due < this.lazy) this.lazy = due;
  }

  /** From the alarm: writes if due; a failure leaves it due for a later alarm. */
  async flush(): Promise<void> {
    const due = this.dueAt();
    const now = this.clock.now();
    if (due === null || due > now) return;
    const stored = this.storedDue();
    this.lastWrittenAt = now;
    this.lazy = null;
    try {
      const run = this.tail.then(() => this.write());
      this.tail = run.catch(() => undefined);
      await run;
    } catch (e) {
      return this.failed(e);
    }
    // A commit during the write marked it due again: keep that mark.
    if (stored !== null && this.storedDue() === stored) {
      this.storage.kv.delete(this.dueKey);
      this.stored = null;
    }
  }

  forget(): void {
    this.stored = undefined;
  }

  private storedDue(): number | null {
    if (this.stored === undefined) this.stored = this.storage.kv.get<number>(this.dueKey) ?? null;
    return this.stored;
  }

  private store(due: number): void {
    this.storage.kv.put(this.dueKey, due);
    this.stored = due;
  }

  private async failed(cause: unknown): Promise<void> {
    console.error(JSON.stringify({ event: `kv_${this.name}_write_failed`, cause: String(cause) }));
    this.store(this.clock.now() + KV_WRITE_INTERVAL_MS);
    await this.owed();
  }
}
