import type { Keyed, Reply } from "../core/idempotency";
import {
  type CatalogState,
  defineIndex,
  dropIndex,
  type NewGeneration,
  owesWork,
  rebuildUnder,
  viewOf,
} from "../core/indexes/catalog";
import {
  type CatalogAddress,
  type CatalogSnapshot,
  type DefineOutcome,
  type DefineRequest,
  INDEX_SHARDS,
  type IndexCatalogApi,
  type IndexView,
} from "../core/indexes/contract";
import { REGISTRY_SHARDS } from "../core/registry";
import { fail, ok, type Result } from "../core/result";
import { announce, snapshotOf, workStep } from "./index-build";
import { CatalogStore } from "./index-catalog-store";
import { registerObject, shardStub } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { type Place, placeOf } from "./shell/sealed-values";
import { pause } from "./shell/waiters";

/** How long one alarm keeps stepping through owed work before it lets definitions and drops in. */
const STEP_BUDGET_MS = 2_000;
/** After a step something did not answer in: the next try. */
const STALL_RETRY_MS = 5_000;
/** How long a definition's reply waits for the registry to hear of it (define). */
const ANNOUNCE_WAIT_MS = 2_000;

const noSuchIndex = (index: string) => fail("not_found", `no index named ${index}`);

/**
 * One entity type's index catalog (tenant/type): the definitions, and for each the generation
 * queries read and the one being built. Its alarm does what the catalog owes (index-build.ts):
 * announce generations to the tenant's registry, build them over existing entities, retire the
 * ones dropped or replaced. It is never on the path of an entity write: entities know the
 * generations themselves, from their registry shard and from builds.
 */
export class IndexCatalog extends ObjectShell<CatalogAddress> implements IndexCatalogApi {
  private readonly store: CatalogStore;
  protected readonly identity: IdentityRecord<CatalogAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new CatalogStore(ctx.storage);
    this.identity = new IdentityRecord<CatalogAddress>(ctx.storage, this.time, async (a) => {
      await registerObject(env, a.tenant, { kind: "indexes", name: a.type });
    });
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "index-idempotency", () =>
      this.store.isReady(),
    );
    const work = {
      name: "index work",
      dueAt: () =>
        owesWork(this.store.state(), REGISTRY_SHARDS) ? (this.store.workAt() ?? this.clock.now()) : null,
    };
    this.alarms = new AlarmPlan(ctx.storage, [work, this.ledger, this.identity]);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  async define(
    address: CatalogAddress,
    index: string,
    request: DefineRequest,
  ): Promise<Reply<DefineOutcome>> {
    const reply = await this.write(
      address,
      request,
      () => this.decideDefine(index, request),
      () => noSuchIndex(index),
    );
    // Bounded: a registry shard slow to answer delays the reply by at most this, then the
    // announcement goes on in the queue (and the alarm retries a shard that failed).
    await Promise.race([this.announceOwed(address), pause(ANNOUNCE_WAIT_MS)]);
    return reply;
  }

  /**
   * The new generation told to every registry shard before the definition's reply, not only from
   * the alarm: an entity registering in a shard not yet told would not know the index, so its
   * first write would claim no unique value (two new entities could then share one) although it
   * came after the 201. A shard that does not answer is told by the alarm, as before.
   */
  private announceOwed(address: CatalogAddress): Promise<void> {
    return this.queue.run(async () => {
      const state = this.store.state();
      if (state.announced.length === REGISTRY_SHARDS) return;
      const outcome = { next: state, failed: [], joined: [], stalled: false };
      await announce(this.env, address, outcome);
      // In the write queue: no definition, drop or build step came in while the shards were told.
      if (outcome.next !== state) this.commit(() => this.store.save(outcome.next));
    });
  }

  async list(): Promise<IndexView[]> {
    const state = this.store.state();
    return state.indexes.map((r) => viewOf(r, state));
  }

  async describe(index: string): Promise<Result<IndexView>> {
    const state = this.store.state();
    const record = state.indexes.find((r) => r.index === index);
    return record ? ok(viewOf(record, state)) : noSuchIndex(index);
  }

  async snapshot(): Promise<CatalogSnapshot> {
    return snapshotOf(this.store.state());
  }

  drop(address: CatalogAddress, index: string, request: Keyed): Promise<Reply<null>> {
    return this.write(
      address,
      request,
      (): Decision<null> => {
        const next = dropIndex(this.store.state(), index);
        if (!next) return { outcome: noSuchIndex(index) };
        return { outcome: ok(null), persist: () => this.saveState(next) };
      },
      () => ok(null),
    );
  }

  /**
   * Re-seals the catalog's idempotency records, starts a build under the primary key for every
   * index whose hashes depend on another key, and re-seals the document copies of indexes already
   * under it. A rebuild counts 1 until it serves queries and the generation it replaces is retired.
   */
  override async reencrypt(): Promise<Result<{ reencrypted: number }>> {
    const records = await super.reencrypt();
    if (!records.ok) return records;
    return this.queue.run(async () => {
      const sealer = this.sealed.sealer();
      const address = this.identity.get()?.address;
      if (!sealer.ok || !address) return records;
      const primary = sealer.value.primaryKeyId;
      const state = this.store.state();
      const { next, pending } = rebuildUnder(state, primary, () => this.fresh(primary));
      if (next !== state) this.commit(() => this.saveState(next));
      let copies = 0;
      for (const { serving, building } of next.indexes) {
        if (!serving || serving.keyId !== primary || building) continue;
        for (let shard = 0; shard < serving.shards; shard++) {
          const stub = shardStub(this.env, { ...address, index: serving.index, gen: serving.gen, shard });
          const resealed = await stub.reencrypt(address.tenant, address.type);
          if (!resealed.ok)
            return fail(resealed.code, `index ${serving.index} shard ${shard}: ${resealed.detail}`);
          copies += resealed.value.reencrypted;
        }
      }
      await this.alarms.rearm();
      return ok({ reencrypted: records.value.reencrypted + pending + copies });
    });
  }

  private decideDefine(index: string, request: DefineRequest): Decision<DefineOutcome> {
    const sealer = this.sealed.sealer();
    if (!sealer.ok) return { outcome: sealer };
    const state = this.store.state();
    const now = this.clock.now();
    const decided = defineIndex(state, index, request.definition, now, this.fresh(sealer.value.primaryKeyId));
    if (decided.kind === "conflict") return { outcome: fail("conflict", decided.detail) };
    if (decided.kind === "same")
      return { outcome: ok({ view: viewOf(decided.record, state), created: false }) };
    const view = viewOf(decided.record, decided.next);
    return { outcome: ok({ view, created: true }), persist: () => this.saveState(decided.next) };
  }

  /** Inside a commit: the new catalog, with its owed work due at once. */
  private saveState(next: CatalogState): void {
    const previous = this.store.state();
    this.store.save(next);
    // A walk that started again (or stopped) leaves nothing to visit again.
    if (next.build?.epoch !== previous.build?.epoch || !next.build) this.store.retryClear();
    this.store.setWorkAt(this.clock.now());
  }

  private fresh(keyId: string): NewGeneration {
    return { gen: crypto.randomUUID().replaceAll("-", "").slice(0, 12), keyId, shards: INDEX_SHARDS };
  }

  /** Steps through owed work for a while; each step commits on its own, so a crash resumes from it. */
  protected async onAlarm(): Promise<void> {
    const address = this.identity.get()?.address;
    if (!address) return;
    const started = Date.now();
    while (Date.now() - started < STEP_BUDGET_MS) {
      const state = this.store.state();
      const due = this.store.workAt();
      if (!owesWork(state, REGISTRY_SHARDS) || (due !== null && due > this.clock.now())) return;
      const step = await workStep(this.env, address, state, (limit) => this.store.retryPage(limit));
      const now = this.clock.now();
      this.commit(() => {
        this.store.save(step.next);
        this.store.retryAdd(step.failed);
        this.store.retryRemove(step.joined);
        if (!step.next.build) this.store.retryClear();
        this.store.setWorkAt(step.stalled ? now + STALL_RETRY_MS : now);
      });
      if (step.stalled) return;
    }
  }

  protected override prepareStorage(): void {
    this.store.ensure();
  }

  protected override rolledBack(): void {
    this.store.reload();
  }

  protected placeOf(address: CatalogAddress): Place {
    return placeOf(address.tenant, `indexes/${address.type}`);
  }

  protected label(address: CatalogAddress): string {
    return `index catalog ${address.type}`;
  }

  protected sealedSets(): SealedSet[] {
    return [(place, primary, limit) => this.ledger.reseal(place, primary, limit)];
  }
}
