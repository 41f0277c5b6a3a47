// What every Durable Object of edgestate is built from. An object reads as:
//   load → the pure decision (src/core/…) → persist in ONE storage transaction → perform effects,
// and the shell supplies the parts every object needs the same way: the clock, sealed values, one
// write queue, the identity record, idempotency, the alarm plan and the re-encryption walk.
//
// `commit` is the one place an object's storage transaction is made, so whatever must leave the
// object with a commit is added there once, for every object: watchers are told right after it,
// in the same turn (watch-hub.ts; their durable record is the object's kept history, from which
// they resume), and what others must be told durably (index entries) leaves through the outbox
// (outbox.ts): its rows are written inside that transaction, and `commit` arms their delivery.
import { DurableObject } from "cloudflare:workers";
import { type Clock, systemClock } from "../../core/clock";
import { type Keyed, keepsUnderKey, type Reply } from "../../core/idempotency";
import { fail, ok, type Result } from "../../core/result";
import type { Announcement, WatchRequest, WatchStart } from "../../core/watch/contract";
import { SerialQueue } from "../serial-queue";
import type { AlarmPlan } from "./alarm-plan";
import type { IdempotencyLedger, PreparedRecord } from "./idempotency-ledger";
import type { IdentityRecord } from "./identity";
import { BACKSTOP_MS, type Outbox } from "./outbox";
import { type Place, SealedValues } from "./sealed-values";
import { type WatchHub, watchRequestOf } from "./watch-hub";

/** What a write decided, before anything is stored. */
export interface Decision<T> {
  outcome: Result<T>;
  /** The change's storage writes, run inside the commit's transaction; absent for a refusal. */
  persist?: () => void;
  /** The reply shows stored data: a later delete (or expiry, or revocation) withdraws it. */
  carriesData?: boolean;
  /** After the commit: effects that need it durable first (KV refresh, telling another object). */
  after?: () => Promise<void> | void;
  /** A refusal that must not take the key or store anything (a write to a session that does not exist). */
  unrecorded?: true;
  /** What the change tells the object's watchers once it has committed. */
  announce?: Announcement;
  /** The change needs the object woken by then (a deadline it stores): armed with its commit. */
  wakeAt?: number;
}

/** A kind of stored value to re-seal: up to `limit` values not under `primary`, as writes for one transaction. */
export type SealedSet = (place: Place, primary: string, limit: number) => Promise<Result<(() => void)[]>>;

/** Values re-sealed per transaction: a batch bounds memory and the transaction's size. */
const RESEAL_BATCH = 32;

export abstract class ObjectShell<A> extends DurableObject<Env> {
  /** Every time rule reads this clock. Tests replace it through runInDurableObject to move time. */
  clock: Clock = systemClock;
  /**
   * Tests set this (through runInDurableObject, like `clock`) to crash the object at a named step
   * of a protocol (`crashPoint`), the way a machine failure would: the object is reset, its
   * in-memory state lost, its storage kept. Null in production.
   */
  crashAt: string | null = null;
  /** A view of `clock` that follows its replacement, for the shell's parts. */
  protected readonly time: Clock = { now: () => this.clock.now() };
  protected readonly sealed: SealedValues;
  /** Mutations run one at a time: sealing and KV calls open the input gate (serial-queue.ts). */
  protected readonly queue = new SerialQueue();
  protected abstract readonly identity: IdentityRecord<A>;
  protected abstract readonly ledger: IdempotencyLedger;
  protected abstract readonly alarms: AlarmPlan;
  /** Objects whose commits tell others something set this (entities: their index entries). */
  protected outbox: Outbox | null = null;
  /** Set by objects that can be watched (entities, sessions, executions). */
  protected watchers: WatchHub | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sealed = new SealedValues(env);
  }

  /** Where this object's values are sealed. */
  protected abstract placeOf(address: A): Place;

  /** The kinds of sealed value this object stores, for `reencrypt`. */
  protected abstract sealedSets(): SealedSet[];

  /**
   * The one storage transaction of a change. Synchronous: nothing may await inside it. Watchers
   * hear of it in the same turn, so no other commit can come between the two. The alarm is armed
   * in the same turn when the change needs the object woken later (`wakeAt`: a deadline it stores)
   * or wrote outbox rows: writes with no await between them are stored atomically, so a crash after
   * the commit finds the alarm set. Outbox rows are also delivered at once; the alarm delivers
   * whatever that delivery did not. A commit that threw stored nothing: what was remembered inside it is dropped.
   */
  protected commit(persist: () => void, announce?: Announcement, wakeAt?: number): void {
    try {
      this.ctx.storage.transactionSync(persist);
    } catch (e) {
      this.alarms.forget();
      this.outbox?.takeAdded();
      this.rolledBack();
      throw e;
    }
    if (announce) this.watchers?.publish(announce);
    const added = this.outbox?.takeAdded() ?? null;
    const due = added === null ? wakeAt : Math.min(wakeAt ?? Number.POSITIVE_INFINITY, added + BACKSTOP_MS);
    if (due !== undefined) {
      this.alarms.wakeAt(due).catch((e: unknown) => {
        console.error(JSON.stringify({ event: "alarm_not_armed", cause: String(e) }));
      });
    }
    if (added !== null && this.outbox)
      this.ctx.waitUntil(this.outbox.deliver().then(() => this.alarms.rearm()));
  }

  /**
   * A write with idempotency: a keyed retry gets the first reply; otherwise `decide` runs, and its
   * change, the identity (on the first commit) and the idempotency record commit together.
   * `gone` answers a retry whose reply was withdrawn with the data it showed.
   *
   * Nothing is awaited that has nothing to wait for: a read racing this write (a session read
   * opening its data while a revocation commits) sees the commit as early as it can happen.
   */
  protected write<T>(
    address: A,
    request: Keyed,
    decide: () => Decision<T> | Promise<Decision<T>>,
    gone: () => Result<T>,
  ): Promise<Reply<T>> {
    return this.queue.run(async () => {
      const fresh = (outcome: Result<T>): Reply<T> => ({
        outcome,
        requestId: request.requestId,
        replayed: false,
      });
      const sealer = this.sealed.sealer();
      if (!sealer.ok) return fresh(sealer);
      const settling = this.settle();
      if (settling) await settling;
      const place = this.placeOf(address);
      if (request.idempotency) {
        const known = await this.ledger.recall(place, request, gone);
        if (known) return known;
      }
      const decided = decide();
      const decision = decided instanceof Promise ? await decided : decided;
      const first = { outcome: decision.outcome, requestId: request.requestId };
      const record =
        decision.unrecorded || !request.idempotency || !keepsUnderKey(decision.outcome, !!decision.persist)
          ? null
          : await this.ledger.prepare(place, request, first, decision.carriesData ?? false, this.clock.now());
      await this.persist(address, decision.persist, record, decision.announce, decision.wakeAt);
      const after = decision.after?.();
      if (after) await after;
      await this.alarms.rearm();
      return fresh(decision.outcome);
    });
  }

  /** Commits a change (and a record) with the identity written on the object's first commit. */
  protected async persist(
    address: A,
    change?: () => void,
    record: PreparedRecord | null = null,
    announce?: Announcement,
    wakeAt?: number,
  ): Promise<void> {
    if (!change && !record) return;
    const identity = this.identity.get() ?? (await this.identity.establish(address));
    this.prepareStorage();
    this.commit(
      () => {
        this.identity.store(identity);
        change?.();
        this.ledger.store(record);
      },
      announce,
      wakeAt,
    );
  }

  /**
   * Re-seals, under the ring's primary key, every stored value that names another key. Runs in the
   * write queue, so no write interleaves; values are independent, so a pass cut short is resumed by
   * running it again, and a value that cannot be opened stops it with its failure (key_unavailable
   * names the missing key id). `reencrypted` counts stored records (a version, a reply, a snapshot).
   */
  reencrypt(): Promise<Result<{ reencrypted: number }>> {
    return this.queue.run(async () => {
      const sealer = this.sealed.sealer();
      if (!sealer.ok) return sealer;
      const identity = this.identity.get();
      if (!identity) return ok({ reencrypted: 0 });
      await this.settle();
      const place = this.placeOf(identity.address);
      let reencrypted = 0;
      for (const set of this.sealedSets()) {
        for (;;) {
          const writes = await set(place, sealer.value.primaryKeyId, RESEAL_BATCH);
          if (!writes.ok) return fail(writes.code, `${this.label(identity.address)}: ${writes.detail}`);
          if (writes.value.length === 0) break;
          this.commit(() => {
            for (const write of writes.value) write();
          });
          reencrypted += writes.value.length;
        }
      }
      await this.afterReseal(reencrypted);
      return ok({ reencrypted });
    });
  }

  /**
   * A named step where a test may crash the object (`crashAt`): once what was written before it is
   * durable (a crash never takes back an acknowledged commit), ctx.abort resets the object.
   */
  protected crashPoint(step: string): Promise<void> | undefined {
    if (this.crashAt !== step) return undefined;
    this.crashAt = null;
    return this.ctx.storage.sync().then(() => this.ctx.abort(`crash injected at ${step}`));
  }

  /** Names the object in a failure, so an operator knows what could not be opened. */
  protected abstract label(address: A): string;

  /**
   * Brings storage up to date with the clock before anything reads it for a write, an alarm or a
   * re-encryption: data that ended (an expired entity, an ended session) is deleted, not used.
   */
  protected settle(): Promise<void> | void {}

  /** After a commit that failed: what an object keeps in memory beside storage is read again. */
  protected rolledBack(): void {}

  /** Before a commit: an object whose schema is created on its first write creates it here. */
  protected prepareStorage(): void {}

  /** After it: copies kept elsewhere (KV) follow. */
  protected async afterReseal(_reencrypted: number): Promise<void> {}

  /**
   * The alarm's work every object shares, around the object's own `onAlarm`. The outbox delivers
   * outside the write queue: a receiver that is slow to answer must not hold up this object's writes.
   */
  override async alarm(): Promise<void> {
    await this.queue.run(async () => {
      this.alarms.fired();
      await this.settle();
      await this.identity.retry();
      this.ledger.prune(this.clock.now());
      await this.onAlarm();
      if (!this.outbox) await this.alarms.rearm();
    });
    if (!this.outbox) return;
    await this.outbox.deliver();
    await this.queue.run(() => this.alarms.rearm());
  }

  protected abstract onAlarm(): Promise<void>;

  /**
   * A watch, forwarded by the Worker as a WebSocket upgrade (fetch is for nothing else: every other
   * call is RPC). Admitted in the write queue, after the object caught up with the clock.
   */
  override async fetch(request: Request): Promise<Response> {
    const watchers = this.watchers;
    const watch = watchRequestOf<A>(request);
    if (!watchers || !watch) return new Response(null, { status: 404 });
    return this.queue.run(async () => {
      const settling = this.settle();
      if (settling) await settling;
      return watchers.admit(watch, () => this.startWatch(watch));
    });
  }

  /** What a new watcher gets first: the current state, or what it missed since `request.since`. */
  protected startWatch(_request: WatchRequest<A>): Promise<Result<WatchStart>> {
    return Promise.resolve(fail("not_found", "this object cannot be watched"));
  }

  /** The key was revoked (its record tells every object holding its watchers). */
  dropWatchers(keyId: string): Promise<number> {
    return this.queue.run(async () => this.watchers?.dropKey(keyId) ?? 0);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.watchers?.message(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // In the queue: an admit deciding whether to tell the key's record must not interleave.
    await this.queue.run(async () => this.watchers?.closed(ws, code, reason));
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.error(JSON.stringify({ event: "watcher_error", cause: String(error) }));
    await this.queue.run(async () => this.watchers?.closed(ws, 1011, "connection error"));
  }
}
