// A Durable Object has one alarm. Every concern that needs the object woken (an expiry, idempotency
// records to prune, a KV write owed, a registration to retry, a timer of an execution) contributes
// its own deadline; the plan arms the earliest. Concerns read their deadline from storage or memory
// when asked, so a concern added later (an outbox, a watcher) is one more entry in the list.

export interface AlarmConcern {
  /** For logs and tests. */
  readonly name: string;
  /** Epoch ms, or null when this concern needs nothing. */
  dueAt(): number | null;
  /** A concern that remembers what it stored drops it (a transaction rolled back; storage wiped). */
  forget?(): void;
}

export interface AlarmPlanOptions {
  /** The earliest an alarm may be set for, given the earliest deadline (an execution never arms in the past). */
  floor?: (next: number) => number;
  /** Called with the time armed (null: disarmed), inside the same turn; an execution records it. */
  armed?: (at: number | null) => void;
  /** Nothing is due: an object whose storage may go (sessions, subjects) deletes it here instead. */
  idle?: () => Promise<void>;
}

export class AlarmPlan {
  /** The alarm as last set by this instance; undefined after a restart or a fired alarm. */
  private armedAt: number | null | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly concerns: AlarmConcern[],
    private readonly options: AlarmPlanOptions = {},
  ) {}

  next(): number | null {
    let next: number | null = null;
    for (const concern of this.concerns) {
      const due = concern.dueAt();
      if (due !== null && (next === null || due < next)) next = due;
    }
    return next === null || !this.options.floor ? next : this.options.floor(next);
  }

  /** Every concern reads its deadline from storage again (after a rolled-back transaction). */
  forget(): void {
    for (const concern of this.concerns) concern.forget?.();
  }

  /** The alarm that was armed has fired: its time is no longer set. */
  fired(): void {
    this.armedAt = undefined;
  }

  /**
   * Wakes the object at `at` whatever the concerns say, for work that must run inside the alarm
   * handler (in the write queue) rather than where it was noticed; the handler re-arms as usual.
   */
  async wakeAt(at: number): Promise<void> {
    if (this.armedAt !== null && this.armedAt !== undefined && this.armedAt <= at) return;
    this.armedAt = at;
    await this.storage.setAlarm(at);
  }

  /** Arms the earliest deadline; a setAlarm is a storage write, so an unchanged one is skipped. */
  async rearm(): Promise<void> {
    const next = this.next();
    if (next === null && this.options.idle) {
      this.armedAt = undefined;
      return this.options.idle();
    }
    if (next === this.armedAt) return;
    this.armedAt = next;
    this.options.armed?.(next);
    if (next === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(next);
  }
}
