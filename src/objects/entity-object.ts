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
import type { CatalogSnapshot, IndexMember } from "../core/indexes/contract";
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
import { EntityHolds, HOLD_WAIT_MS } from "./entity-holds";
import { EntityIndexing } from "./entity-indexing";
import { EntityParticipant, heldBy } from "./entity-participant";
import { EntityStore } from "./entity-store";
import { EntityVersions } from "./entity-versions";
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

/** A retry whose first reply showed a document that has since been deleted or has expired. */
const gone = () =>
  fail(
    "not_found",
    "this Idempotency-Key's write was applied, but the entity has since been deleted or has expired, " +
      "and the reply that showed it is no longer kept",
  );

/**
 * One entity (tenant/type/id): the source of truth for its document, versions, history and
 * idempotency records. Writes load the live version, ask core/entity/decide.ts what to store and
 * reply, and commit the version, the trimmed history and the idempotency record in one
 * transaction (the shell's `write`), with what the type's indexes must hear of it (outbox rows,
 * entity-indexing.ts); then the KV copy follows (entity-copies.ts). Reads never wait for writes.
 * Watchers get every committed version, and `expired` once the alarm purges it. The entity also
 * takes part in transactions (entity-participant.ts): while one holds it, reads see the last
 * committed version and writes wait briefly, then are refused.
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
  protected override readonly outbox: Outbox;
  protected readonly identity: IdentityRecord<EntityAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EntityStore(ctx.storage);
    this.outbox = new Outbox(ctx.storage.sql, this.time, (topic, rows) => this.indexing.deliver(topic, rows));
    const ownAddress = () => this.identity.get()?.address;
    this.indexing = new EntityIndexing(ctx.storage, env, this.store, this.outbox, ownAddress);
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
    this.participant = new EntityParticipant(env, this.time, {
      holds: this.holds,
      exclusive: (task) => this.exclusive(task),
      stage: (address, command) => this.versions.stage(address, command, this.clock.now()),
      persist: (address, change, wakeAt) => this.persist(address, change, null, undefined, wakeAt),
      commit: (change, announce) => this.commit(change, announce),
      storing: (address, version) => this.versions.storingStaged(address, version),
      crashPoint: (step) => this.crashPoint(step),
    });
    const expiry = { name: "expiry", dueAt: () => this.store.latest()?.expires_at ?? null };
    const concerns = [expiry, this.ledger, this.copies.writer, this.identity, this.holds, this.outbox];
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
      this.copies.soon(address, state);
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
      const reply = await this.write(address, request, () => this.decide(address, command), gone);
      const left = until - Date.now();
      if (reply.outcome.ok || reply.outcome.code !== "transaction_conflict" || left <= 0) return reply;
      await this.holds.waitForRelease(left);
    }
  }

  /** A single write, unless a transaction holds the entity (entity-versions.ts decides it). */
  private async decide(address: EntityAddress, command: WriteCommand): Promise<Decision<WriteResult>> {
    const hold = this.holds.current();
    // Not recorded under an Idempotency-Key: a retry after the verdict may well succeed.
    if (hold) return { outcome: heldBy(hold), unrecorded: true };
    return this.versions.decide(address, command, this.clock.now());
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

  /** Expired data is deleted before anything else happens: body, history, and replies that showed it. */
  protected override settle(): void {
    const address = this.identity.get()?.address;
    if (!address || !this.store.expired(this.clock.now())) return;
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
    await this.copies.writer.flush();
    const address = this.identity.get()?.address;
    if (!address) return;
    // A registration retried from the alarm may have told of generations this entity has not joined.
    await this.joinKnown(address);
    await this.participant.ask(address);
  }

  /**
   * A build's visit (index-build.ts): from now on this entity delivers to every generation of
   * `snapshot`, and its current state is delivered to the ones it had not joined. Replies with the
   * rows still owed to them (0: the build may count this entity as indexed).
   */
  joinIndexes(address: EntityAddress, snapshot: CatalogSnapshot): Promise<Result<{ pending: number }>> {
    return this.exclusive(async () => {
      // Never committed: its first commit registers, and the registry tells it of the generations.
      if (!this.identity.get()) return ok({ pending: 0 });
      this.indexing.learn(snapshot);
      const joined = await this.joinKnown(address);
      if (!joined.ok) return joined;
      await this.outbox.deliver();
      return ok({ pending: this.indexing.pending(snapshot) });
    });
  }

  /** Gives the generations this entity knows but has not joined its current state. In the queue. */
  private async joinKnown(address: EntityAddress): Promise<Result<void>> {
    const gens = this.indexing.unjoined();
    if (gens.length === 0) return ok(this.indexing.save());
    const state = await this.versions.indexedState(address, this.clock.now());
    if (!state.ok) return state;
    this.commit(() => this.indexing.record(address, state.value, gens));
    return ok(undefined);
  }

  protected override rolledBack(): void {
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
    if (address && reencrypted > 0 && this.store.live(this.clock.now())) this.copies.soon(address);
  }
}
