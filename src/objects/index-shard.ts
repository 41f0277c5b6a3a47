import { DurableObject } from "cloudflare:workers";
import { type Clock, systemClock } from "../core/clock";
import type { ApplyOutcome, EntryChange, ShardPage, ShardQuery } from "../core/indexes/contract";
import type { QueryWatchAddress } from "../core/indexes/query-watch";
import { ok, type Result } from "../core/result";
import { type EntryRow, ShardStore } from "./index-shard-store";
import { type AppliedChange, ShardWatchers } from "./index-shard-watch";
import { keyWatchers } from "./names";
import { SerialQueue } from "./serial-queue";
import { SealedValues } from "./shell/sealed-values";
import { WatchHub, watchRequestOf } from "./shell/watch-hub";

/** Values re-sealed per transaction. */
const RESEAL_BATCH = 32;

/**
 * One shard of one generation of an index (tenant/type/index/gen/shard): the entries whose key
 * hash places them here. Entities deliver their changes (outbox → `apply`), queries with the full
 * key read one shard (`query`). An entry holds the blind hash of its key values, its sort value
 * (the one thing kept in clear), and the entity's own sealed value of the version indexed.
 *
 * `apply` is synchronous SQL in one transaction: nothing interleaves, so a shard takes changes as
 * fast as its storage does. A change applies only above the rank the shard holds for its entity,
 * so repeats and late arrivals change nothing: the index never goes backwards.
 *
 * Queries are watched here too (index-shard-watch.ts): after each transaction, every watcher is
 * told what the applied changes are to its query.
 */
export class IndexShard extends DurableObject<Env> {
  /** Queries and expiry read this clock; tests replace it through runInDurableObject. */
  clock: Clock = systemClock;
  private readonly store: ShardStore;
  private readonly sealed: SealedValues;
  /** Re-sealing awaits WebCrypto; one pass at a time. */
  private readonly queue = new SerialQueue();
  private readonly watchers: ShardWatchers;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ShardStore(ctx.storage);
    this.sealed = new SealedValues(env);
    const hub = new WatchHub(ctx, keyWatchers(env, "index-shard", ctx.id), env);
    this.watchers = new ShardWatchers(hub, this.store, this.sealed);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  async apply(changes: EntryChange[]): Promise<ApplyOutcome> {
    if (this.store.retired()) return "retired";
    const now = this.clock.now();
    this.store.ensure();
    // Rows before and after are read only while someone watches: a shard nobody watches pays nothing.
    const watched = this.watchers.watching();
    const applied: AppliedChange[] = [];
    this.ctx.storage.transactionSync(() => {
      for (const change of changes) {
        const before = watched ? this.store.entry(change.id) : null;
        this.store.apply(change, now);
        if (!watched) continue;
        const after = this.store.entry(change.id);
        if (after && after.rank === change.rank && (before?.rank ?? -1) < change.rank)
          applied.push({ before, after });
      }
      this.store.pruneTombstones(now);
    });
    // Told before the delivery is acknowledged, so the object is not left before its watchers hear.
    if (applied.length > 0) await this.watchers.announce(applied, now);
    return "applied";
  }

  async query(query: ShardQuery): Promise<ShardPage> {
    if (this.store.retired()) return { retired: true };
    if (!this.store.isReady()) return { retired: false, items: [], more: false };
    return { retired: false, ...this.store.page(query, this.clock.now()) };
  }

  /** Live entries (expired ones excluded); null once retired. */
  async count(): Promise<number | null> {
    if (this.store.retired()) return null;
    return this.store.isReady() ? this.store.count(this.clock.now()) : 0;
  }

  /** The generation was dropped or replaced: every entry goes, and senders are told so from now on. */
  async retire(): Promise<void> {
    await this.store.retire();
    this.watchers.retired();
  }

  /** A query watch, forwarded by the Worker as a WebSocket upgrade (every other call is RPC). */
  override async fetch(request: Request): Promise<Response> {
    const watch = watchRequestOf<QueryWatchAddress>(request);
    if (!watch) return new Response(null, { status: 404 });
    return this.watchers.admit(watch, this.clock.now());
  }

  /** The key was revoked (its record tells every object holding its watchers). */
  dropWatchers(keyId: string): Promise<number> {
    return this.watchers.dropKey(keyId);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.watchers.message(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.watchers.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.error(JSON.stringify({ event: "watcher_error", cause: String(error) }));
    await this.watchers.closed(ws, 1011, "connection error");
  }

  /**
   * Re-seals, under the primary key, the document copies sealed under another (written before a
   * rotation). A copy is the entity's own sealed value, so it opens in the entity's place.
   */
  reencrypt(tenant: string, type: string): Promise<Result<{ reencrypted: number }>> {
    return this.queue.run(async () => {
      const sealer = this.sealed.sealer();
      if (!sealer.ok) return sealer;
      if (this.store.retired() || !this.store.isReady()) return ok({ reencrypted: 0 });
      let reencrypted = 0;
      for (;;) {
        const rows = this.store.bodiesNotUnder(sealer.value.primaryKeyId, RESEAL_BATCH);
        if (rows.length === 0) return ok({ reencrypted });
        const writes: (() => void)[] = [];
        for (const row of rows) {
          const context = { tenant, kind: "entity", name: `${type}/${row.id}`, version: row.version };
          const resealed = await this.sealed.reseal(row.body!, context);
          if (!resealed.ok) return resealed;
          const body = resealed.value ?? row.body!;
          writes.push(() => this.store.replaceBody(row as EntryRow & { body: string }, body));
        }
        // An entry changed while its copy was being re-sealed keeps its newer copy (replaceBody).
        this.ctx.storage.transactionSync(() => {
          for (const write of writes) write();
        });
        reencrypted += rows.length;
      }
    });
  }
}
