import { getConfig } from "../config";
import type {
  EntityAddress,
  EntityApi,
  EntityState,
  HistoryPage,
  PatchRequest,
  PutRequest,
  WriteReply,
  WriteRequest,
  WriteResult,
} from "../core/entity/contract";
import { decideWrite, type LiveDocument, nextVersion, type WriteCommand } from "../core/entity/decide";
import type { CatalogSnapshot, IndexMember } from "../core/indexes/contract";
import { fail, ok, type Result } from "../core/result";
import type { WatchRequest, WatchStart } from "../core/watch/contract";
import { entityVersion, expired } from "../core/watch/messages";
import { EntityCopies, listingChanges } from "./entity-copies";
import { EntityIndexing, type IndexedState, indexedStateOf } from "./entity-indexing";
import { EntityStore, type VersionRow } from "./entity-store";
import { entityWatchStart } from "./entity-watch";
import { keyWatchers, registerObject } from "./names";
import { NewestPlaintext } from "./newest-plaintext";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { Outbox } from "./shell/outbox";
import { type Place, placeOf } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";
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
 * Watchers get every committed version, and `expired` once the alarm purges it.
 */
export class EntityObject extends ObjectShell<EntityAddress> implements EntityApi, IndexMember {
  private readonly store: EntityStore;
  private readonly plaintext: NewestPlaintext;
  private readonly copies: EntityCopies;
  private readonly indexing: EntityIndexing;
  protected override readonly outbox: Outbox;
  protected readonly identity: IdentityRecord<EntityAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EntityStore(ctx.storage);
    this.plaintext = new NewestPlaintext(this.store, () => this.sealed.ring());
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
      (address, row) => this.openBody(address, row),
      ownAddress,
      () => this.alarms.rearm(),
    );
    const expiry = { name: "expiry", dueAt: () => this.store.latest()?.expires_at ?? null };
    const { index, copy } = this.copies;
    const concerns = [expiry, this.ledger, index, copy, this.identity, this.outbox];
    this.alarms = new AlarmPlan(ctx.storage, concerns);
    this.watchers = new WatchHub(ctx, keyWatchers(env, "entity", ctx.id), env);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async get(
    address: EntityAddress,
    options: { version?: number; refillCache?: boolean } = {},
  ): Promise<Result<EntityState>> {
    const now = this.clock.now();
    const live = this.store.live(now);
    const row = options.version === undefined ? live : this.store.readable(options.version, now);
    if (!row || row.body === null) return fail("not_found", "no such entity");
    const body = await this.openBody(address, row);
    if (!body.ok) return body;
    const state = { version: row.version, body: body.value, updatedAt: row.at, expiresAt: row.expires_at };
    if (options.refillCache && live) {
      this.copies.renewLease();
      this.copies.copySoon(address, state);
    }
    return ok(state);
  }

  async history(
    address: EntityAddress,
    page: { limit: number; before?: number },
  ): Promise<Result<HistoryPage>> {
    // Expired data is never served, history included.
    if (!this.store.latest() || this.store.expired(this.clock.now()))
      return fail("not_found", "no such entity");
    const rows = this.store.page(page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
    const items: HistoryPage["items"] = [];
    for (const row of rows.slice(0, page.limit)) {
      const opened = row.body === null ? null : await this.openBody(address, row);
      if (opened !== null && !opened.ok) return opened;
      items.push({ version: row.version, op: row.op, at: row.at, body: opened?.value ?? null });
    }
    const more = rows.length > page.limit;
    return ok({ items, cursor: more ? String(items[items.length - 1]!.version) : null });
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

  private change(address: EntityAddress, request: WriteRequest, command: WriteCommand): Promise<WriteReply> {
    return this.write(address, request, () => this.decide(address, command), gone);
  }

  /** Load, decide (core/entity/decide.ts), and seal what the decision stores. */
  private async decide(address: EntityAddress, command: WriteCommand): Promise<Decision<WriteResult>> {
    const now = this.clock.now();
    const row = this.store.live(now);
    let live: LiveDocument | null = null;
    if (row) {
      live = { version: row.version, expiresAt: row.expires_at };
      if (command.op === "patch") {
        const body = await this.openBody(address, row);
        if (!body.ok) return { outcome: body };
        live.body = body.value;
      }
    }
    const unhashable = this.indexing.missingKey();
    if (unhashable) {
      const detail = `index ${unhashable.index} hashes under key "${unhashable.keyId}", which is not in ENCRYPTION_KEYS`;
      return { outcome: fail("key_unavailable", detail) };
    }
    const { maxBodyBytes, historyLimit } = getConfig(this.env);
    const version = nextVersion(this.store.latest()?.version ?? null, this.store.purgedVersion());
    const decided = decideWrite(live, version, command, now, { maxBodyBytes });
    const next = decided.version;
    if (!next) return { outcome: decided.outcome };
    const sealed =
      next.body === null
        ? null
        : await this.sealed.seal(next.body, this.placeOf(address)("entity", next.version));
    const state = decided.outcome.ok ? (decided.outcome.value.state ?? undefined) : undefined;
    return {
      outcome: decided.outcome,
      carriesData: next.body !== null,
      persist: () => {
        // A delete keeps no content: not the kept versions, not the replies that showed them.
        if (next.op === "delete") {
          this.store.removeContents();
          this.ledger.withdraw();
        }
        this.store.insert({ ...next, expires_at: next.expiresAt, body: sealed }, historyLimit);
        this.plaintext.keep(next.version, next.body);
        this.indexing.record(address, indexedStateOf(next));
      },
      announce: { messages: [entityVersion(next)] },
      after: () => this.copies.committed(address, listingChanges(live, next), state),
    };
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
    return entityWatchStart(this.store, request.since, (row) => this.openBody(address, row));
  }

  protected async onAlarm(): Promise<void> {
    await this.copies.flush();
    // A registration retried from the alarm may have told of generations this entity has not joined.
    const address = this.identity.get()?.address;
    if (address) await this.joinKnown(address);
  }

  /**
   * A build's visit (index-build.ts): from now on this entity delivers to every generation of
   * `snapshot`, and its current state is delivered to the ones it had not joined. Replies with the
   * rows still owed to them (0: the build may count this entity as indexed).
   */
  joinIndexes(address: EntityAddress, snapshot: CatalogSnapshot): Promise<Result<{ pending: number }>> {
    return this.queue.run(async () => {
      const sealer = this.sealed.sealer();
      if (!sealer.ok) return sealer;
      await this.settle();
      // Never committed: its first commit registers, and the registry tells it of the generations.
      if (!this.identity.get()) return ok({ pending: 0 });
      this.indexing.learn(snapshot);
      const joined = await this.joinKnown(address);
      if (!joined.ok) return joined;
      await this.outbox.deliver();
      await this.alarms.rearm();
      return ok({ pending: this.indexing.pending(snapshot) });
    });
  }

  /** Gives the generations this entity knows but has not joined its current state. In the queue. */
  private async joinKnown(address: EntityAddress): Promise<Result<void>> {
    const gens = this.indexing.unjoined();
    if (gens.length === 0) return ok(this.indexing.save());
    const live = this.store.live(this.clock.now());
    let state: IndexedState = { version: this.store.latest()?.version ?? 0, removed: true };
    if (live && live.body !== null) {
      const body = await this.openBody(address, live);
      if (!body.ok) return body;
      state = { version: live.version, at: live.at, expiresAt: live.expires_at, body: body.value };
    }
    this.commit(() => this.indexing.record(address, state, gens));
    return ok(undefined);
  }

  protected override rolledBack(): void {
    this.store.forget();
    this.plaintext.forget();
    this.indexing.reload();
  }

  protected placeOf(address: EntityAddress): Place {
    return placeOf(address.tenant, nameOf(address));
  }

  protected label(address: EntityAddress): string {
    return `entity ${nameOf(address)}`;
  }

  protected sealedSets(): SealedSet[] {
    const versions: SealedSet = (place, primary, limit) =>
      resealEach(this.sealed, this.store.versionsNotUnder(primary, limit), {
        value: (row) => row.body,
        context: (row) => place("entity", row.version),
        name: (row) => `version ${row.version}`,
        replace: (row, value) => this.store.replaceBody(row.version, value),
      });
    return [versions, (place, primary, limit) => this.ledger.reseal(place, primary, limit)];
  }

  /** The KV copy is sealed too: rewrite it under the primary (at KV's pace). */
  protected override async afterReseal(reencrypted: number): Promise<void> {
    const address = this.identity.get()?.address;
    if (address && reencrypted > 0 && this.store.live(this.clock.now())) this.copies.copySoon(address);
  }

  /** A version's document; the newest one's from memory when it is kept there (newest-plaintext.ts). */
  private openBody(address: EntityAddress, row: VersionRow): Promise<Result<string>> {
    const place = this.placeOf(address);
    return this.plaintext.of(row, (r) => this.sealed.open(r.body ?? "", place("entity", r.version)));
  }
}
