// An entity's two KV keys — the list index entry and, under a copy lease, the sealed copy — kept
// in step with what the object committed, at KV's pace (shell/paced-kv-writer.ts). Only the owning
// object writes them, after its commit, with the version in their metadata.
import { type CopyMetadata, deleteCopy, deleteEntity, writeCopy, writeIndex } from "../cache/entity-cache";
import { getConfig } from "../config";
import type { Clock } from "../core/clock";
import type { EntityAddress, EntityState } from "../core/entity/contract";
import { ok, type Result } from "../core/result";
import { CopyLease } from "./copy-lease";
import type { EntityStore, VersionRow } from "./entity-store";
import { PacedKvWriter } from "./shell/paced-kv-writer";
import type { SealedValues } from "./shell/sealed-values";

export class EntityCopies {
  readonly writer: PacedKvWriter;
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
    this.writer = new PacedKvWriter(
      ctx.storage,
      "cache",
      async () => {
        const known = address();
        if (known) await this.writeCache(known);
      },
      clock,
      rearm,
    );
  }

  /** A read missed the KV copy: keep one for the lease's length. */
  renewLease(): void {
    this.lease.renew(this.clock.now(), getConfig(this.env).cacheTtlSeconds * 1000);
  }

  /**
   * Refreshes the KV keys now, or at most once per interval (a deferred write is an alarm, so it
   * survives eviction). `known` is the state just committed or read, in plaintext, so the
   * immediate write need not open it again.
   */
  soon(address: EntityAddress, known?: EntityState): void {
    const write = this.writer.soon(this.clock.now(), () => this.writeCache(address, known));
    if (write) this.ctx.waitUntil(write);
  }

  /**
   * Writes whatever is live at this moment, so deferred writes always converge on the newest
   * version: the index entry always, the copy as the lease says (copy-lease.ts).
   */
  private async writeCache(address: EntityAddress, known?: EntityState): Promise<void> {
    const now = this.clock.now();
    const live = this.store.live(now);
    const sealer = this.sealed.sealer();
    if (!live || live.body === null || !sealer.ok) return deleteEntity(this.env.CACHE, address);
    const meta: CopyMetadata = { v: live.version, u: live.at, x: live.expires_at };
    const writes = [writeIndex(this.env.CACHE, address, meta, now)];
    const action = this.lease.action(now);
    if (action === "delete") {
      writes.push(deleteCopy(this.env.CACHE, address).then(() => this.lease.copyDeleted()));
    } else if (action === "write") {
      const body = known?.version === live.version ? ok(known.body) : await this.open(address, live);
      if (!body.ok) return void (await Promise.all(writes));
      const sealed = await sealer.value.seal(body.value, {
        tenant: address.tenant,
        kind: "kv-entity",
        name: `${address.type}/${address.id}`,
        version: live.version,
      });
      writes.push(writeCopy(this.env.CACHE, address, sealed, meta, this.lease.until(), now));
    }
    await Promise.all(writes);
  }
}
