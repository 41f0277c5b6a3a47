import { DurableObject } from "cloudflare:workers";
import { type CopyMetadata, deleteCopy, deleteEntity, writeCopy, writeIndex } from "../cache/entity-cache";
import { type Config, getConfig } from "../config";
import { applyPatchDocument } from "../core/entity/apply-patch";
import type {
  EntityAddress,
  EntityState,
  HistoryPage,
  PatchRequest,
  PutRequest,
  TtlChange,
  WriteOutcome,
  WriteReply,
  WriteRequest,
} from "../core/entity/entity";
import { preconditionHolds } from "../core/entity/preconditions";
import { fail, ok, type Result } from "../core/result";
import { SealError, type Sealer } from "../crypto/sealer";
import { CopyLease } from "./copy-lease";
import { EntityStore, IDEMPOTENCY_RETENTION_MS, isExpired, type VersionRow } from "./entity-store";
import { SerialQueue } from "./serial-queue";

/** Stored values re-sealed per transaction by `reencrypt`. */
const REENCRYPT_BATCH = 32;

/** KV accepts about one write per second per key; the object never writes its copy faster. */
const CACHE_WRITE_INTERVAL_MS = 1_000;

/**
 * One entity (tenant/type/id): the source of truth for its document, versions, history and
 * idempotency records. Writes run one at a time (see SerialQueue); reads never wait for them.
 */
export class EntityObject extends DurableObject<Env> {
  private readonly store: EntityStore;
  private readonly writes = new SerialQueue();
  private readonly lease: CopyLease;
  private lastCacheWriteAt = 0;
  private armedAt: number | null | undefined;
  /** Set once "address" is known to be stored: it never changes, so it is written once, not per write. */
  private addressStored = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new EntityStore(ctx.storage);
    this.lease = new CopyLease(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  async get(
    address: EntityAddress,
    options: { version?: number; refillCache?: boolean } = {},
  ): Promise<Result<EntityState>> {
    const now = Date.now();
    const live = this.store.live(now);
    const row = options.version === undefined ? live : this.readableVersion(options.version, now);
    if (!row || row.body === null) return fail("not_found", "no such entity");
    const state = await this.open(address, row);
    if (state.ok && options.refillCache && live) {
      this.lease.renew(Date.now(), getConfig(this.env).cacheTtlSeconds * 1000);
      this.syncCacheSoon(address, state.value);
    }
    return state;
  }

  async history(
    address: EntityAddress,
    page: { limit: number; before?: number },
  ): Promise<Result<HistoryPage>> {
    const latest = this.store.latest();
    // Expired data is never served, history included.
    if (!latest || isExpired(latest, Date.now())) return fail("not_found", "no such entity");
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
    return this.write(address, request, async (live, config) => {
      const expiresAt = nextExpiry(request.ttl, live, Date.now());
      return { op: "put", body: request.body, expiresAt, created: live === null, config };
    });
  }

  patch(address: EntityAddress, request: PatchRequest): Promise<WriteReply> {
    return this.write(address, request, async (live, config) => {
      if (!live) return fail("not_found", "no such entity");
      const current = await this.openBody(address, live);
      if (!current.ok) return current;
      const patched = applyPatchDocument(current.value, request.patch);
      if (!patched.ok) return patched;
      if (new TextEncoder().encode(patched.value).byteLength > config.maxBodyBytes) {
        return fail("payload_too_large", `the patched document would exceed ${config.maxBodyBytes} bytes`);
      }
      const expiresAt = nextExpiry(request.ttl, live, Date.now());
      return { op: "patch", body: patched.value, expiresAt, created: false, config };
    });
  }

  delete(address: EntityAddress, request: WriteRequest): Promise<WriteReply> {
    return this.write(address, request, async (live, config) => {
      if (!live) return fail("not_found", "no such entity");
      return { op: "delete", body: null, expiresAt: null, created: false, config };
    });
  }

  /**
   * Re-seals, under the ring's primary key, every stored version body and idempotent reply that
   * names another key. Runs in the write queue, so no write interleaves; each batch of values is
   * committed in one transaction (a batch bounds memory: stored replies are limited by age, not
   * count), and a value that cannot be opened stops the job with its failure (key_unavailable
   * names the missing key id). Values are independent, so a pass cut short is simply resumed.
   */
  reencrypt(address: EntityAddress): Promise<Result<{ reencrypted: number }>> {
    return this.writes.run(async () => {
      const config = getConfig(this.env);
      const sealer = config.sealer;
      if (!sealer) return fail("unavailable", config.problems.join("; "));
      const now = Date.now();
      const latest = this.store.latest();
      // Expired data is deleted, not re-encrypted.
      if (latest && isExpired(latest, now)) this.purgeExpired(address);
      const name = `${address.type}/${address.id}`;
      let reencrypted = 0;
      for (;;) {
        const versions = this.store.versionsNotUnder(sealer.primaryKeyId, REENCRYPT_BATCH);
        const replies = this.store.repliesNotUnder(sealer.primaryKeyId, REENCRYPT_BATCH);
        if (versions.length === 0 && replies.length === 0) break;
        const bodies: { version: number; body: string }[] = [];
        for (const row of versions) {
          const context = { tenant: address.tenant, kind: "entity", name, version: row.version };
          const plain = await this.openSealed(sealer, address, "entity", row.version, row.body);
          if (!plain.ok) return withPlace(plain, address, `version ${row.version}`);
          bodies.push({ version: row.version, body: await sealer.seal(plain.value, context) });
        }
        const sealedReplies: { key: string; reply: string }[] = [];
        for (const row of replies) {
          const context = { tenant: address.tenant, kind: "idempotency", name, version: row.key };
          const plain = await this.openSealed(sealer, address, "idempotency", row.key, row.reply);
          if (!plain.ok) return withPlace(plain, address, "a stored idempotent reply");
          sealedReplies.push({ key: row.key, reply: await sealer.seal(plain.value, context) });
        }
        this.ctx.storage.transactionSync(() => {
          for (const b of bodies) this.store.replaceBody(b.version, b.body);
          for (const r of sealedReplies) this.store.replaceReply(r.key, r.reply);
        });
        reencrypted += bodies.length + sealedReplies.length;
      }
      // The KV copy is sealed too: rewrite it under the primary (at KV's pace, see syncCacheSoon).
      if (reencrypted > 0 && this.store.live(now)) this.syncCacheSoon(address);
      return ok({ reencrypted });
    });
  }

  override async alarm(): Promise<void> {
    const address = this.ctx.storage.kv.get<EntityAddress>("address");
    if (!address) return;
    await this.writes.run(async () => {
      const now = Date.now();
      const latest = this.store.latest();
      if (latest && isExpired(latest, now)) this.purgeExpired(address);
      this.store.pruneIdempotency(now);
      const due = this.ctx.storage.kv.get<number>("cacheDueAt");
      if (due !== undefined && due <= now) {
        this.ctx.storage.kv.delete("cacheDueAt");
        this.lastCacheWriteAt = now;
        await this.writeCache(address);
      }
      this.armedAt = undefined; // the alarm that just ran is gone
      await this.rearm();
    });
  }

  /**
   * The shared write path: replay or refuse by idempotency key, check preconditions, let `decide`
   * compute the change, then commit the version row, the trimmed history and the idempotency
   * record in one storage transaction.
   */
  private write(
    address: EntityAddress,
    request: WriteRequest,
    decide: (live: VersionRow | null, config: Config) => Promise<Change | Result<never>>,
  ): Promise<WriteReply> {
    return this.writes.run(async () => {
      const config = getConfig(this.env);
      const sealer = config.sealer;
      if (!sealer) return reply(fail("unavailable", config.problems.join("; ")), request);
      this.rememberAddress(address);
      const now = Date.now();
      const latest = this.store.latest();
      if (latest && isExpired(latest, now)) this.purgeExpired(address);

      const key = request.idempotency;
      // `key.key` is already a digest (write-request.ts); the fingerprint stays inside the sealed reply.
      const keyDigest = key?.key;
      const known = keyDigest ? this.store.idempotency(keyDigest) : null;
      if (key && keyDigest && known) {
        const stored = await this.openSealed(sealer, address, "idempotency", keyDigest, known.reply);
        if (!stored.ok) return reply(stored, request);
        const { fingerprint, ...first } = JSON.parse(stored.value) as StoredReply;
        if (fingerprint !== key.fingerprint) {
          return reply(
            fail("idempotency_mismatch", "this Idempotency-Key was used with a different request"),
            request,
          );
        }
        return { ...first, replayed: true };
      }

      const live = this.store.live(now);
      let outcome: WriteOutcome;
      let row: VersionRow | undefined;
      if (!preconditionHolds(live?.version ?? null, request.precondition)) {
        outcome = fail("precondition_failed", "the entity's version does not match the precondition", {
          ...(live ? { currentVersion: live.version } : {}),
        });
      } else {
        const change = await decide(live, config);
        if ("ok" in change) outcome = change;
        else {
          const version = this.store.nextVersion();
          const name = `${address.type}/${address.id}`;
          const sealed =
            change.body === null
              ? null
              : await sealer.seal(change.body, { tenant: address.tenant, kind: "entity", name, version });
          row = { version, op: change.op, at: now, expires_at: change.expiresAt, body: sealed };
          const state =
            change.body === null
              ? null
              : { version, body: change.body, updatedAt: now, expiresAt: change.expiresAt };
          outcome = ok({ state, created: change.created });
        }
      }

      const first = { outcome, requestId: request.requestId };
      const sealedReply =
        key && keyDigest
          ? await sealer.seal(
              JSON.stringify({ ...first, fingerprint: key.fingerprint } satisfies StoredReply),
              {
                tenant: address.tenant,
                kind: "idempotency",
                name: `${address.type}/${address.id}`,
                version: keyDigest,
              },
            )
          : undefined;
      this.ctx.storage.transactionSync(() => {
        if (row) this.store.insert(row, config.historyLimit);
        if (keyDigest && sealedReply)
          this.store.remember({ key: keyDigest, reply: sealedReply, created_at: now });
      });
      if (row) this.syncCacheSoon(address, outcome.ok ? (outcome.value.state ?? undefined) : undefined);
      await this.rearm();
      return { ...first, replayed: false };
    });
  }

  private purgeExpired(address: EntityAddress): void {
    this.ctx.storage.transactionSync(() => this.store.purge());
    this.syncCacheSoon(address);
  }

  /**
   * Refreshes the KV keys now, or at most once per interval: a deferred write is an alarm, so it
   * survives eviction. `known` is the state just committed or read, in plaintext, so the immediate
   * write need not open it again.
   */
  private syncCacheSoon(address: EntityAddress, known?: EntityState): void {
    const now = Date.now();
    if (now - this.lastCacheWriteAt >= CACHE_WRITE_INTERVAL_MS) {
      this.lastCacheWriteAt = now;
      this.ctx.waitUntil(this.writeCache(address, known).catch((e) => this.deferCacheWrite(e)));
      return;
    }
    // In a burst every write lands in the same window: store the due time once, not once per write.
    const due = this.lastCacheWriteAt + CACHE_WRITE_INTERVAL_MS;
    if (this.ctx.storage.kv.get<number>("cacheDueAt") !== due) this.ctx.storage.kv.put("cacheDueAt", due);
    void this.rearm();
  }

  /** The alarm reads the address to know which KV copy it serves; a row read is cheaper than a row write. */
  private rememberAddress(address: EntityAddress): void {
    if (this.addressStored) return;
    if (this.ctx.storage.kv.get("address") === undefined) this.ctx.storage.kv.put("address", address);
    this.addressStored = true;
  }

  private async deferCacheWrite(cause: unknown): Promise<void> {
    console.error(JSON.stringify({ event: "kv_cache_write_failed", cause: String(cause) }));
    this.ctx.storage.kv.put("cacheDueAt", Date.now() + CACHE_WRITE_INTERVAL_MS);
    await this.rearm();
  }

  /**
   * Writes whatever is live at this moment, so deferred writes always converge on the newest
   * version: the index entry always, the copy as the lease says (copy-lease.ts).
   */
  private async writeCache(address: EntityAddress, known?: EntityState): Promise<void> {
    const { sealer } = getConfig(this.env);
    const now = Date.now();
    const live = this.store.live(now);
    if (!live || live.body === null || !sealer) return deleteEntity(this.env.CACHE, address);
    const meta: CopyMetadata = { v: live.version, u: live.at, x: live.expires_at };
    const writes = [writeIndex(this.env.CACHE, address, meta, now)];
    const action = this.lease.action(now);
    if (action === "delete") {
      writes.push(deleteCopy(this.env.CACHE, address).then(() => this.lease.copyDeleted()));
    } else if (action === "write") {
      const body = known?.version === live.version ? ok(known.body) : await this.openBody(address, live);
      if (!body.ok) return void (await Promise.all(writes));
      const sealed = await sealer.seal(body.value, {
        tenant: address.tenant,
        kind: "kv-entity",
        name: `${address.type}/${address.id}`,
        version: live.version,
      });
      writes.push(writeCopy(this.env.CACHE, address, sealed, meta, this.lease.until(), now));
    }
    await Promise.all(writes);
  }

  /** One alarm serves expiry, idempotency retention and deferred cache writes: the earliest wins. */
  private async rearm(): Promise<void> {
    const latest = this.store.latest();
    const oldest = this.store.oldestIdempotency();
    const candidates = [
      latest?.expires_at ?? null,
      oldest === null ? null : oldest + IDEMPOTENCY_RETENTION_MS,
      this.ctx.storage.kv.get<number>("cacheDueAt") ?? null,
    ].filter((t): t is number => t !== null);
    const next = candidates.length ? Math.min(...candidates) : null;
    if (next === this.armedAt) return;
    this.armedAt = next;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private readableVersion(version: number, now: number): VersionRow | null {
    const latest = this.store.latest();
    if (!latest || isExpired(latest, now)) return null;
    return this.store.version(version);
  }

  private async open(address: EntityAddress, row: VersionRow): Promise<Result<EntityState>> {
    const body = await this.openBody(address, row);
    if (!body.ok) return body;
    return ok({ version: row.version, body: body.value, updatedAt: row.at, expiresAt: row.expires_at });
  }

  private openBody(address: EntityAddress, row: VersionRow): Promise<Result<string>> {
    const sealer = getConfig(this.env).sealer;
    if (!sealer) return Promise.resolve(fail("unavailable", getConfig(this.env).problems.join("; ")));
    return this.openSealed(sealer, address, "entity", row.version, row.body ?? "");
  }

  private async openSealed(
    sealer: Sealer,
    address: EntityAddress,
    kind: string,
    version: number | string,
    sealed: string,
  ): Promise<Result<string>> {
    try {
      return ok(
        await sealer.open(sealed, {
          tenant: address.tenant,
          kind,
          name: `${address.type}/${address.id}`,
          version,
        }),
      );
    } catch (e) {
      if (e instanceof SealError) return fail(e.reason, e.message);
      throw e;
    }
  }
}

interface Change {
  op: "put" | "patch" | "delete";
  body: string | null;
  expiresAt: number | null;
  created: boolean;
  config: Config;
}

/** What an idempotency record seals: the first reply and the fingerprint of the request that made it. */
type StoredReply = Omit<WriteReply, "replayed"> & { fingerprint: string };

const reply = (outcome: WriteOutcome, request: WriteRequest): WriteReply => ({
  outcome,
  requestId: request.requestId,
  replayed: false,
});

/** Names the entity and the value in a failure, so an operator knows what could not be opened. */
const withPlace = <F extends { detail: string }>(failure: F, a: EntityAddress, what: string): F => ({
  ...failure,
  detail: `entity ${a.type}/${a.id}, ${what}: ${failure.detail}`,
});

function nextExpiry(ttl: TtlChange, live: VersionRow | null, now: number): number | null {
  if (ttl === "clear") return null;
  if (ttl === "keep") return live?.expires_at ?? null;
  return now + ttl.seconds * 1000;
}
