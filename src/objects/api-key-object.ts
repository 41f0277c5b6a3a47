import { DurableObject } from "cloudflare:workers";
import {
  awsSecretPlace,
  type KeyRecord,
  MAX_WATCHED_OBJECTS,
  type TicketRecord,
  type WatchedObject,
} from "../core/keys/contract";
import { fail, ok, type Result } from "../core/result";
import { ApiKeyStore } from "./api-key-store";
import { watchedStub } from "./names";
import { SealedValues } from "./shell/sealed-values";

/** Objects told of a revocation at once; the rest wait for the batch before them. */
const NOTIFY_BATCH = 32;
/** An object that could not be told is told again from the alarm after this long. */
const RETRY_MS = 1_000;

/**
 * One API key's record, named by the key's id: verification scales with the number of keys. The
 * record holds one sealed value, the key's AWS secret; key rotation finds the key through its
 * tenant's registry (the key route registers it first) and re-seals it here.
 *
 * It also knows which objects hold this key's watchers (each such object says so before admitting
 * the key's first watcher, and again after the last one closes), so a revocation disconnects them
 * by telling exactly those objects, before the revoking request replies: no watched object is
 * woken by a timer to check its keys. Watch tickets the key issued are kept here, hashed.
 */
export class ApiKeyObject extends DurableObject<Env> {
  private readonly store: ApiKeyStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ApiKeyStore(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  async create(record: KeyRecord): Promise<boolean> {
    if (this.record() !== undefined) return false;
    this.ctx.storage.kv.put("record", record);
    return true;
  }

  async read(): Promise<KeyRecord | null> {
    return this.record() ?? null;
  }

  /** Key rotation: the AWS secret re-sealed under the primary key (0 when it already is, or there is none). */
  async reencrypt(): Promise<Result<{ reencrypted: number }>> {
    const record = this.ctx.storage.kv.get<KeyRecord>("record");
    if (!record?.awsSecret) return ok({ reencrypted: 0 });
    const place = awsSecretPlace(record.tenant, record.id);
    const resealed = await new SealedValues(this.env).reseal(record.awsSecret, place);
    if (!resealed.ok) return resealed;
    if (resealed.value === null) return ok({ reencrypted: 0 });
    // Read again: a revocation may have landed while the reseal awaited WebCrypto.
    const current = this.ctx.storage.kv.get<KeyRecord>("record")!;
    this.ctx.storage.kv.put("record", { ...current, awsSecret: resealed.value });
    return ok({ reencrypted: 1 });
  }

  async revoke(now: number): Promise<KeyRecord | null> {
    const record = this.record();
    if (!record) return null;
    if (record.revokedAt === null) {
      record.revokedAt = now;
      this.ctx.storage.kv.put("record", record);
    }
    await this.tellWatchers(record.id);
    return record;
  }

  /** A watched object is about to admit this key's first watcher there. */
  async watching(object: WatchedObject): Promise<"admitted" | "revoked" | "full"> {
    const record = this.record();
    if (!record || record.revokedAt !== null) return "revoked";
    if (!this.store.isWatched(object) && this.store.watchedCount() >= MAX_WATCHED_OBJECTS) return "full";
    this.store.addWatched(object);
    return "admitted";
  }

  /** The last watcher of this key in that object closed. */
  async unwatching(object: WatchedObject): Promise<void> {
    this.store.removeWatched(object);
  }

  /** `root`: a ticket of the deployment's root key, which has no record (its object keeps only tickets). */
  async issueTicket(ticket: TicketRecord, now: number, root = false): Promise<boolean> {
    if (!root && !this.live()) return false;
    this.store.pruneTickets(now);
    this.store.addTicket(ticket);
    await this.rearm(false);
    return true;
  }

  /**
   * Spends a ticket: whatever the outcome, the first presentation of its secret spends it, so a
   * ticket that leaked (a log, a referrer) cannot be tried against other targets.
   */
  async redeemTicket(
    hash: string,
    target: string,
    now: number,
    root = false,
  ): Promise<Result<{ tenant: string }>> {
    const ticket = this.store.takeTicket(hash);
    if (!ticket || ticket.expiresAt <= now)
      return fail("unauthorized", "the ticket is unknown, spent or expired");
    if (!root && !this.live()) return fail("unauthorized", "the API key that issued this ticket was revoked");
    if (ticket.target !== target) return fail("forbidden", "this ticket opens another watch");
    return ok({ tenant: ticket.tenant });
  }

  override async alarm(): Promise<void> {
    const record = this.record();
    const retry = record?.revokedAt != null ? !(await this.tellWatchers(record.id, false)) : false;
    this.store.pruneTickets(Date.now());
    await this.rearm(retry);
  }

  /** Tells every object holding this key's watchers; true when all of them heard. */
  private async tellWatchers(keyId: string, arm = true): Promise<boolean> {
    const objects = this.store.watched(MAX_WATCHED_OBJECTS);
    let missed = false;
    for (let i = 0; i < objects.length; i += NOTIFY_BATCH) {
      const batch = objects.slice(i, i + NOTIFY_BATCH);
      const told = await Promise.allSettled(batch.map((o) => watchedStub(this.env, o).dropWatchers(keyId)));
      told.forEach((outcome, j) => {
        if (outcome.status === "fulfilled") this.store.removeWatched(batch[j]!);
        else {
          missed = true;
          console.error(JSON.stringify({ event: "revocation_notice_failed", cause: String(outcome.reason) }));
        }
      });
    }
    if (missed && arm) await this.rearm(true);
    return !missed;
  }

  /** One alarm: a revocation notice to retry, or tickets to prune once the last one expires. */
  private async rearm(retry: boolean): Promise<void> {
    const due = [retry ? Date.now() + RETRY_MS : null, this.store.lastTicketExpiry()].filter(
      (t): t is number => t !== null,
    );
    if (due.length) await this.ctx.storage.setAlarm(Math.min(...due));
    else await this.ctx.storage.deleteAlarm();
  }

  private record(): KeyRecord | undefined {
    return this.ctx.storage.kv.get<KeyRecord>("record");
  }

  private live(): boolean {
    const record = this.record();
    return record !== undefined && record.revokedAt === null;
  }
}
