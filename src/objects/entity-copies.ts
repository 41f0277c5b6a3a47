// An entity's two KV keys — the list index entry and, under a copy lease, the sealed copy — kept
// in step with what the object committed, at KV's pace (shell/paced-kv-writer.ts). Only the owning
// object writes them, after its commit, with the version in their metadata. Each key has its own
// writer: KV's limit of one write a second is per key, and they follow different rules.
//
// - The copy exists only while someone reads the entity with consistency=eventual (copy-lease.ts):
//   every commit under the lease refreshes it within a second.
// - The index entry follows at once (within a second) what a listing shows of membership: a
//   create, a delete, an expiry or a changed expiry. A commit that changes only the version and
//   updatedAt refreshes it within a second too while the type is listed (cache/list-lease.ts), and
//   otherwise within INDEX_REFRESH_MS, owed in memory (no row written for it). A write to an entity
//   nobody lists or reads eventually therefore costs no KV write in its second, and a busy one
//   costs one per INDEX_REFRESH_MS.
import {
  type CopyMetadata,
  copyContext,
  deleteCopy,
  deleteIndex,
  writeCopy,
  writeIndex,
} from "../cache/entity-cache";
import { INDEX_REFRESH_MS, isListed } from "../cache/list-lease";
import { getConfig } from "../config";
import type { Clock } from "../core/clock";
import type { EntityAddress, EntityState } from "../core/entity/contract";
import { ok, type Result } from "../core/result";
import { CopyLease } from "./copy-lease";
import type { EntityStore, VersionRow } from "./entity-store";
import { PacedKvWriter } from "./shell/paced-kv-writer";
import type { SealedValues } from "./shell/sealed-values";

/**
 * After a start, the newest commit may owe its index entry a refresh the instance that made it
 * kept in memory: assume so for commits this recent (at worst one needless write per start).
 */
const UNSURE_AFTER_START_MS = 10 * INDEX_REFRESH_MS;

/** Whether a commit changes what a listing shows besides the version: that the entity lives, and until when. */
export function listingChanges(
  live: { expiresAt: number | null } | null,
  next: { body: string | null; expiresAt: number | null },
): boolean {
  return (live === null) !== (next.body === null) || live?.expiresAt !== next.expiresAt;
}

const metaOf = (row: VersionRow): CopyMetadata => ({ v: row.version, u: row.at, x: row.expires_at });

export class EntityCopies {
  /** The list index entry; named "cache" because its due time has been stored as cacheDueAt. */
  readonly index: PacedKvWriter;
  readonly copy: PacedKvWriter;
  readonly lease: CopyLease;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly store: EntityStore,
    private readonly sealed: SealedValues,
    private readonly clock: Clock,
    private readonly open: (address: EntityAddress, row: VersionRow) => Promise<Result<string>>,
    address: () => EntityAddress | undefined,
    rearm: () => Promise<void>,
  ) {
    this.lease = new CopyLease(ctx.storage);
    const known = (write: (a: EntityAddress) => Promise<void>) => async () => {
      const a = address();
      if (a) await write(a);
    };
    this.index = new PacedKvWriter(
      ctx.storage,
      "cache",
      known((a) => this.writeIndex(a)),
      clock,
      rearm,
      { unsure: () => this.unsure() },
    );
    this.copy = new PacedKvWriter(
      ctx.storage,
      "copy",
      known((a) => this.writeCopy(a)),
      clock,
      rearm,
    );
  }

  /** A read missed the KV copy: keep one for the lease's length. */
  renewLease(): void {
    this.lease.renew(this.clock.now(), getConfig(this.env).cacheTtlSeconds * 1000);
  }

  /**
   * After a commit. `membership`: it created, deleted or re-timed the entity (what a listing shows
   * besides the version). `known` is the state just committed, in plaintext, so the copy need not
   * open it again.
   */
  committed(address: EntityAddress, membership: boolean, known?: EntityState): void {
    const now = this.clock.now();
    this.copySoon(address, known);
    if (membership) {
      this.indexSoon(address);
      return;
    }
    this.index.later(now, INDEX_REFRESH_MS);
    // Listed: the entry follows within a second after all. Asked after the reply, off its path.
    this.ctx.waitUntil(
      isListed(this.env.CACHE, address.tenant, address.type, now).then(
        (listed) => (listed ? this.indexSoon(address) : undefined),
        (e: unknown) => logFailure("list_lease_check_failed", e),
      ),
    );
  }

  /** Both keys follow at once: the entity expired, or a read just opened the copy lease. */
  soon(address: EntityAddress, known?: EntityState): void {
    this.copySoon(address, known);
    this.indexSoon(address);
  }

  /**
   * The copy alone, as the lease says (a read refilling it, a re-seal). An entity that is gone has
   * its copy deleted whatever the lease says: a delete costs one KV call more, and no clock skew
   * between this object and KV's expiry can leave a copy of deleted data behind.
   */
  copySoon(address: EntityAddress, known?: EntityState): void {
    const now = this.clock.now();
    if (this.lease.action(now) === "none" && this.store.live(now)) return;
    const write = this.copy.soon(now, () => this.writeCopy(address, known));
    if (write) this.ctx.waitUntil(write);
  }

  /** From the alarm: whatever is owed. */
  async flush(): Promise<void> {
    await Promise.all([this.index.flush(), this.copy.flush()]);
  }

  private indexSoon(address: EntityAddress): void {
    const write = this.index.soon(this.clock.now(), () => this.writeIndex(address));
    if (write) this.ctx.waitUntil(write);
  }

  private unsure(): number | null {
    const newest = this.store.latest();
    if (!newest || newest.at < this.clock.now() - UNSURE_AFTER_START_MS) return null;
    return newest.at + INDEX_REFRESH_MS;
  }

  /** The entry of whatever is live at this moment, so deferred writes converge on the newest version. */
  private async writeIndex(address: EntityAddress): Promise<void> {
    const now = this.clock.now();
    const live = this.store.live(now);
    if (!live || live.body === null) return deleteIndex(this.env.CACHE, address);
    await writeIndex(this.env.CACHE, address, metaOf(live), now);
  }

  /** The copy of whatever is live, as the lease says: written, deleted in its tail, or left alone. */
  private async writeCopy(address: EntityAddress, known?: EntityState): Promise<void> {
    const now = this.clock.now();
    const action = this.lease.action(now);
    const live = this.store.live(now);
    if (action === "none" && live) return;
    const sealer = this.sealed.sealer();
    if (action === "delete" || !live || live.body === null || !sealer.ok) {
      await deleteCopy(this.env.CACHE, address);
      if (action === "delete") this.lease.copyDeleted();
      return;
    }
    const body = known?.version === live.version ? ok(known.body) : await this.open(address, live);
    if (!body.ok) return;
    const meta = { ...metaOf(live), l: this.lease.until() };
    const sealed = await sealer.value.seal(body.value, copyContext(address, meta));
    await writeCopy(this.env.CACHE, address, sealed, meta, now);
  }
}

function logFailure(event: string, cause: unknown): void {
  console.error(JSON.stringify({ event, cause: String(cause) }));
}
