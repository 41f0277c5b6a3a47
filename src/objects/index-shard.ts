import { DurableObject } from "cloudflare:workers";
import { type Clock, systemClock } from "../core/clock";
import type { ApplyOutcome, EntryChange, ShardPage, ShardQuery } from "../core/indexes/contract";
import { ok, type Result } from "../core/result";
import { type EntryRow, ShardStore } from "./index-shard-store";
import { SerialQueue } from "./serial-queue";
import { SealedValues } from "./shell/sealed-values";

/** Sealed text a page carries at most: about 1.5 MB of documents, as DynamoDB pages at 1 MB. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;
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
 */
export class IndexShard extends DurableObject<Env> {
  /** Queries and expiry read this clock; tests replace it through runInDurableObject. */
  clock: Clock = systemClock;
  private readonly store: ShardStore;
  private readonly sealed: SealedValues;
  /** Re-sealing awaits WebCrypto; one pass at a time. */
  private readonly queue = new SerialQueue();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ShardStore(ctx.storage);
    this.sealed = new SealedValues(env);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  async apply(changes: EntryChange[]): Promise<ApplyOutcome> {
    if (this.store.retired()) return "retired";
    const now = this.clock.now();
    this.store.ensure();
    this.ctx.storage.transactionSync(() => {
      for (const change of changes) this.store.apply(change, now);
      this.store.pruneTombstones(now);
    });
    return "applied";
  }

  async query(query: ShardQuery): Promise<ShardPage> {
    if (this.store.retired()) return { retired: true };
    if (!this.store.isReady()) return { retired: false, items: [], more: false };
    const items: ShardPage & { retired: false } = { retired: false, items: [], more: false };
    let bytes = 0;
    for (const row of this.store.find(query, this.clock.now())) {
      if (
        items.items.length === query.limit ||
        (items.items.length > 0 && bytes + (row.body?.length ?? 0) > MAX_PAGE_BYTES)
      ) {
        items.more = true;
        break;
      }
      bytes += row.body?.length ?? 0;
      items.items.push({
        id: row.id,
        version: row.version,
        updatedAt: row.updated_at,
        sort: new Uint8Array(row.sort),
        ...(query.bodies && row.body !== null ? { body: row.body } : {}),
      });
    }
    return items;
  }

  /** Live entries (expired ones excluded); null once retired. */
  async count(): Promise<number | null> {
    if (this.store.retired()) return null;
    return this.store.isReady() ? this.store.count(this.clock.now()) : 0;
  }

  /** The generation was dropped or replaced: every entry goes, and senders are told so from now on. */
  async retire(): Promise<void> {
    await this.store.retire();
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
