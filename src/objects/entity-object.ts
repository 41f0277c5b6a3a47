import type {
  EntityAddress,
  EntityApi,
  EntityRead,
  HistoryPage,
  PatchRequest,
  PutRequest,
  WriteReply,
  WriteRequest,
  WriteResult,
} from "../core/entity/contract";
import type { WriteCommand } from "../core/entity/decide";
import type { CatalogSnapshot, Generation, IndexMember } from "../core/indexes/contract";
import type { Admit, HolderState } from "../core/indexes/unique";
import { type Failure, fail, ok, type Result } from "../core/result";
import type {
  ParticipantApi,
  Prepared,
  PrepareRequest,
  SnapshotRead,
  Verdict,
} from "../core/transactions/contract";
import type { WatchRequest, WatchStart } from "../core/watch/contract";
import { expired } from "../core/watch/messages";
import { EntityCopies } from "./entity-copies";
import { EntityHolds, expiryUnlessHeld, HOLD_WAIT_MS } from "./entity-holds";
import { EntityIndexing } from "./entity-indexing";
import { EntityJoins } from "./entity-joins";
import { EntityParticipant, heldBy } from "./entity-participant";
import { EntityStore } from "./entity-store";
import { EntityUniqueness } from "./entity-unique";
import { EntityVersions, gone } from "./entity-versions";
import { entityWatchStart } from "./entity-watch";
import { keyWatchers, registerObject } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { Outbox } from "./shell/outbox";
import { type Place, placeOf } from "./shell/sealed-values";
import { WatchHub } from "./shell/watch-hub";

const nameOf = (a: EntityAddress) => `${a.type}/${a.id}`;

/**
 * One entity (tenant/type/id): the source of truth for its document, versions, history and
 * idempotency records. A write is decided and stored by entity-versions.ts, in one commit with
 * its idempotency record and what the indexes must hear (entity-indexing.ts); unique values are
 * claimed first (entity-unique.ts); the KV copy follows (entity-copies.ts). Watchers get every
 * committed version. While a transaction holds the entity (entity-participant.ts), reads see the
 * last committed version and writes wait briefly, then are refused.
 */
export class EntityObject
  extends ObjectShell<EntityAddress>
  implements EntityApi, ParticipantApi, IndexMember
{
  private readonly store: EntityStore;
  private readonly copies: EntityCopies;
  private readonly versions: EntityVersions;
  private readonly holds: EntityHolds;
  private readonly participant: EntityParticipant;
  private readonly indexing: EntityIndexing;
  private readonly uniqueness: EntityUniqueness;
  private readonly joins: EntityJoins;
  protected override readonly outbox: Outbox;
  protected readonly identity: IdentityRecord<EntityAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EntityStore(ctx.storage);
    this.outbox = new Outbox(ctx.storage.sql, this.time, (topic, rows) => this.indexing.deliver(topic, rows));
    const ownAddress = () => this.identity.get()?.address;
    this.indexing = new EntityIndexing(ctx.storage, env, this.store, this.outbox, ownAddress, this.time);
    this.identity = new IdentityRecord<EntityAddress>(
      ctx.storage,
      this.time,
      // The registry answers with the type's index generations: the first commit indexes the entity.
      async (a) =>
        this.indexing.learn(
          (await registerObject(env, a.tenant, { kind: "entity", name: nameOf(a) })).indexes,
        ),
      // Before identities, the alarm's address was stored under "address".
      () => ctx.storage.kv.get<EntityAddress>("address"),
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "idempotency");
    this.copies = new EntityCopies(
      ctx,
      env,
      this.store,
      this.sealed,
      this.time,
      (address, row) => this.versions.open(address, row),
      ownAddress,
      () => this.alarms.rearm(),
    );
    const parts = { store: this.store, ledger: this.ledger, copies: this.copies, indexing: this.indexing };
    this.versions = new EntityVersions(env, { ...parts, sealed: this.sealed, place: (a) => this.placeOf(a) });
    this.holds = new EntityHolds(ctx.storage, this.time);
    const own = { store: this.store, holds: this.holds, indexing: this.indexing, versions: this.versions };
    const registered = (a: EntityAddress) => this.identity.ensureRegistered(a);
    this.uniqueness = new EntityUniqueness(env, this.time, { ...own, registered });
    this.joins = new EntityJoins(
      { ...own, uniqueness: this.uniqueness, outbox: this.outbox, clock: this.time },
      {
        commit: (change) => this.commit(change),
        registered: () => this.identity.get() !== null,
      },
    );
    this.participant = new EntityParticipant(env, this.time, {
      holds: this.holds,
      exclusive: (task) => this.exclusive(task),
      stage: (address, command, admit) => this.versions.stage(address, command, this.clock.now(), admit),
      gate: (address, transaction) => this.uniqueness.gate(address, transaction),
      persist: (address, change, wakeAt) => this.persist(address, change, null, undefined, wakeAt),
      commit: (change, announce) => this.commit(change, announce),
      storing: (address, version) => this.versions.storingStaged(address, version),
      crashPoint: (step) => this.crashPoint(step),
    });
    const expiry = expiryUnlessHeld(this.holds, () => this.store.latest()?.expires_at);
    const { index, copy } = this.copies;
    const concerns = [expiry, this.ledger, index, copy, this.identity, this.holds, this.outbox];
    this.alarms = new AlarmPlan(ctx.storage, concerns);
    this.watchers = new WatchHub(ctx, keyWatchers(env, "entity", ctx.id), env);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async get(
    address: EntityAddress,
    options: { version?: number; refillCache?: boolean } = {},
  ): Promise<Result<EntityRead>> {
    const now = this.clock.now();
    const live = this.store.live(now);
    const row = options.version === undefined ? live : this.versions.readable(options.version, now);
    if (!row || row.body === null) return fail("not_found", "no such entity");
    const body = await this.versions.open(address, row);
    if (!body.ok) return body;
    const state = { version: row.version, body: body.value, updatedAt: row.at, expiresAt: row.expires_at };
    if (options.refillCache && live) {
      this.copies.renewLease();
      this.copies.copySoon(address, state);
    }
    const heldBy = this.holds.info();
    return ok(heldBy ? { ...state, heldBy } : state);
  }

  history(address: EntityAddress, page: { limit: number; before?: number }): Promise<Result<HistoryPage>> {
    return this.versions.history(address, page, this.clock.now());
  }

  put(address: EntityAddress, request: PutRequest): Promise<WriteReply> {
    const { body, ttl, precondition } = request;
    return this.change(address, request, { op: "put", body, ttl, precondition });
  }

  patch(address: EntityAddress, request: PatchRequest): Promise<WriteReply> {
    const { patch, ttl, precondition } = request;
    return this.change(address, request, { op: "patch", patch, ttl, precondition });
  }

  delete(address: EntityAddress, request: WriteRequest): Promise<WriteReply> {
    return this.change(address, request, { op: "delete", precondition: request.precondition });
  }

  prepare(address: EntityAddress, request: PrepareRequest): Promise<Result<Prepared>> {
    return this.participant.prepare(address, request);
  }

  finish(address: EntityAddress, transaction: string, verdict: Verdict): Promise<Result<void>> {
    return this.participant.finish(address, transaction, verdict);
  }

  /** A unique index's claim asking whether this entity holds a value (never waits for writes). */
  uniqueHolder(address: EntityAddress, gen: Generation, hash: string): Promise<HolderState> {
    return this.uniqueness.holder(address, gen, hash);
  }

  /** A transactional read's view (transaction-reads.ts); waits for a hold first, up to `waitMs`. */
  async snapshot(
    address: EntityAddress,
    options: { body: boolean; waitMs: number },
  ): Promise<Result<SnapshotRead>> {
    if (options.waitMs > 0 && this.holds.current()) await this.holds.waitForRelease(options.waitMs);
    const read = await this.versions.snapshot(address, options.body, this.clock.now());
    return read.ok ? ok({ ...read.value, held: this.holds.current() !== null }) : read;
  }

  /**
   * A single write. Meeting a transaction's hold, it waits for the verdict (in real time: a bound
   * on waiting, not a rule of the document) and tries again; still held then, it is refused.
   */
  private async change(
    address: EntityAddress,
    request: WriteRequest,
    command: WriteCommand,
  ): Promise<WriteReply> {
    const until = Date.now() + HOLD_WAIT_MS;
    for (;;) {
      const gate = this.uniqueness.gate(address, null);
      const decide = () => this.decide(address, command, gate.admit);
      const reply = await this.write(address, request, decide, gone).finally(gate.release);
      const left = until - Date.now();
      if (reply.outcome.ok || reply.outcome.code !== "transaction_conflict" || left <= 0) return reply;
      // A hold: wait for its verdict. A claim that met an undecided write has waited already.
      if (this.holds.current()) await this.holds.waitForRelease(left);
    }
  }

  /** A single write, unless a transaction holds the entity (entity-versions.ts decides it). */
  private async decide(
    address: EntityAddress,
    command: WriteCommand,
    admit: Admit,
  ): Promise<Decision<WriteResult>> {
    const hold = this.holds.current();
    // Not recorded under an Idempotency-Key: a retry after the verdict may well succeed.
    if (hold) return { outcome: heldBy(hold), unrecorded: true };
    return this.versions.decide(address, command, this.clock.now(), admit);
  }

  /** The participant's work in the write queue: keys available, storage caught up with the clock. */
  private exclusive<T>(task: () => Promise<T>): Promise<T | Failure> {
    return this.queue.run(async () => {
      const sealer = this.sealed.sealer();
      if (!sealer.ok) return sealer;
      this.settle();
      const result = await task();
      await this.alarms.rearm();
      return result;
    });
  }

  /**
   * Expired data is deleted before anything else happens: body, history, and replies that showed
   * it. Not while held: the verdict may be a commit decided before the expiry, which comes first.
   */
  protected override settle(): void {
    const address = this.identity.get()?.address;
    if (!address || this.holds.current() || !this.store.expired(this.clock.now())) return;
    const version = this.store.latest()!.version;
    this.commit(
      () => {
        this.store.purge();
        this.ledger.withdraw();
        this.indexing.record(address, { version, removed: true });
      },
      { messages: [expired] },
    );
    this.copies.soon(address);
  }

  protected override startWatch(request: WatchRequest<EntityAddress>): Promise<Result<WatchStart>> {
    const address = this.identity.get()?.address ?? request.address;
    return entityWatchStart(this.store, request.since, (row) => this.versions.open(address, row));
  }

  protected async onAlarm(): Promise<void> {
    await this.copies.flush();
    const address = this.identity.get()?.address;
    if (!address) return;
    // A registration retried from the alarm may have told of generations this entity has not joined.
    await this.joins.joinKnown(address);
    await this.participant.ask(address);
  }

  /** A build's visit (entity-joins.ts). */
  joinIndexes(address: EntityAddress, snapshot: CatalogSnapshot): Promise<Result<{ pending: number }>> {
    return this.exclusive(() => this.joins.join(address, snapshot));
  }

  protected override rolledBack(): void {
    this.versions.forget();
    this.holds.forget();
    this.indexing.reload();
  }

  protected placeOf(address: EntityAddress): Place {
    return placeOf(address.tenant, nameOf(address));
  }

  protected label(address: EntityAddress): string {
    return `entity ${nameOf(address)}`;
  }

  protected sealedSets(): SealedSet[] {
    return [
      (place, primary, limit) => this.versions.reseal(place, primary, limit),
      (place, primary, limit) => this.ledger.reseal(place, primary, limit),
      (place, primary) => this.holds.reseal(this.sealed, place, primary),
    ];
  }

  /** The KV copy is sealed too: rewrite it under the primary (at KV's pace). */
  protected override async afterReseal(reencrypted: number): Promise<void> {
    const address = this.identity.get()?.address;
    if (address && reencrypted > 0 && this.store.live(this.clock.now())) this.copies.copySoon(address);
  }
}
