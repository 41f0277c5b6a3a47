import { DurableObject } from "cloudflare:workers";
import { getConfig } from "../config";
import { type Clock, systemClock } from "../core/clock";
import { fail, ok, type Result } from "../core/result";
import type {
  CreateSessionRequest,
  SessionReply,
  SessionStatus,
  SubjectAddress,
  SubjectSessionItem,
} from "../core/session/session";
import { sessionStub } from "./names";
import { SerialQueue } from "./serial-queue";
import { type IndexRow, SubjectStore } from "./subject-store";

/** How long to wait before asking again about a session that did not answer. */
const RETRY_MS = 60_000;
/** The alarm has no request to say whose index this is; the first create stores it. */
const ADDRESS = "address";

/**
 * One subject (tenant/subject): the index of its sessions. Creates with a subject come through
 * here, so the index row is written before the session exists (a crash in between leaves an
 * extra row, never a missing one). Everything that reads the index — listing, the per-subject
 * limit, the expiry alarm — confirms rows with their sessions; "revoke all" revokes every
 * indexed session and waits for each before it replies.
 *
 * Index operations run one at a time (SerialQueue), so a listing can never drop the row of a
 * create still in flight. Calls go subject → session only, except `forget`, which a session sends
 * after revoking or purging itself; it does not queue, so the two can never wait on each other.
 */
export class SubjectObject extends DurableObject<Env> {
  /** Tests replace it through runInDurableObject instead of sleeping. */
  clock: Clock = systemClock;
  private readonly store: SubjectStore;
  private readonly writes = new SerialQueue();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SubjectStore(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  create(address: SubjectAddress, id: string, request: CreateSessionRequest): Promise<SessionReply> {
    return this.writes.run(async () => {
      const now = this.clock.now();
      this.store.ensure();
      this.ctx.storage.kv.put(ADDRESS, address);
      // An upper bound until the session answers: the latest any session created now can end.
      const added = this.store.add({
        id,
        created_at: now,
        expires_at: now + request.lifetime.absoluteTtl * 1000,
      });
      // The output gate holds this call until the row above is durable.
      const reply = await sessionStub(this.env, address.tenant, id).create(
        { tenant: address.tenant, id },
        request,
      );
      const { outcome } = reply;
      const session = outcome.ok ? outcome.value.session : null;
      if (session) this.store.set({ id, created_at: session.createdAt, expires_at: session.expiresAt });
      else if (added) this.store.remove(id);
      if (session && !reply.replayed) await this.enforceLimit(address, id);
      await this.rearm();
      return reply;
    });
  }

  /** The subject's live sessions, oldest first, each confirmed with its session. */
  list(address: SubjectAddress): Promise<SubjectSessionItem[]> {
    return this.writes.run(async () => {
      const live = await this.confirm(address, this.store.all());
      await this.rearm();
      return live;
    });
  }

  /** Revokes every indexed session and replies only once each has committed its revocation. */
  revokeAll(address: SubjectAddress): Promise<Result<{ revoked: number }>> {
    return this.writes.run(async () => {
      const rows = this.store.all();
      const results = await Promise.allSettled(rows.map((row) => this.session(address, row.id).end()));
      let revoked = 0;
      let failed = 0;
      this.ctx.storage.transactionSync(() => {
        results.forEach((result, i) => {
          if (result.status === "rejected") failed++;
          else {
            if (result.value) revoked++;
            this.store.remove(rows[i]!.id);
          }
        });
      });
      await this.rearm();
      if (failed > 0) {
        logFailure("revoke_all_incomplete", `${failed} of ${rows.length} sessions did not answer`);
        return fail("unavailable", `${failed} sessions could not be revoked yet; repeat the request`);
      }
      return ok({ revoked });
    });
  }

  /** A session's note that it was revoked or purged. Synchronous: it cannot interleave with anything. */
  async forget(id: string): Promise<void> {
    this.store.remove(id);
    // Let the alarm delete an empty index now rather than at the old row's expiry.
    if (this.store.isReady() && this.store.count() === 0) await this.ctx.storage.setAlarm(this.clock.now());
  }

  /** Confirms rows whose known expiry has passed; deletes the index once it is empty. */
  override async alarm(): Promise<void> {
    await this.writes.run(async () => {
      const address = this.ctx.storage.kv.get<SubjectAddress>(ADDRESS);
      if (address) await this.confirm(address, this.store.stale(this.clock.now()));
      await this.rearm();
    });
  }

  /** Over the limit: the oldest sessions other than the new one are revoked before the create replies. */
  private async enforceLimit(address: SubjectAddress, newId: string): Promise<void> {
    const max = getConfig(this.env).maxSessionsPerSubject;
    if (this.store.count() <= max) return;
    // Rows past their known expiry may be dead already; drop those before revoking anything live.
    await this.confirm(address, this.store.stale(this.clock.now()));
    const excess = this.store.count() - max;
    if (excess <= 0) return;
    const victims = this.store.oldest(excess, newId);
    const results = await Promise.allSettled(victims.map((row) => this.session(address, row.id).end()));
    this.ctx.storage.transactionSync(() => {
      results.forEach((result, i) => {
        if (result.status === "fulfilled") this.store.remove(victims[i]!.id);
      });
    });
    if (results.some((r) => r.status === "rejected")) {
      logFailure("session_limit_incomplete", "an oldest session did not answer; it stays indexed");
    }
  }

  /** Asks each row's session whether it is live: live rows learn its expiry, dead rows go. */
  private async confirm(address: SubjectAddress, rows: IndexRow[]): Promise<SubjectSessionItem[]> {
    if (rows.length === 0) return [];
    const statuses = await Promise.allSettled(rows.map((row) => this.session(address, row.id).status()));
    const retryAt = this.clock.now() + RETRY_MS;
    const live: SubjectSessionItem[] = [];
    this.ctx.storage.transactionSync(() => {
      statuses.forEach((result, i) => {
        const row = rows[i]!;
        if (result.status === "rejected") {
          // Unknown is not dead: keep the row (and list nothing for it), ask again later.
          this.store.set({ ...row, expires_at: Math.min(row.expires_at, retryAt) });
          return;
        }
        const status: SessionStatus = result.value;
        if (!status.live) this.store.remove(row.id);
        else {
          this.store.set({ id: row.id, created_at: status.createdAt, expires_at: status.expiresAt });
          live.push({ id: row.id, createdAt: status.createdAt, expiresAt: status.expiresAt });
        }
      });
    });
    if (statuses.some((s) => s.status === "rejected")) {
      logFailure("subject_confirm_incomplete", "some sessions did not answer; their rows are kept");
    }
    return live;
  }

  /** One alarm at the earliest known expiry; an empty index deletes its storage. */
  private async rearm(): Promise<void> {
    if (!this.store.isReady()) return;
    const next = this.store.nextExpiry();
    if (next === null) await this.store.wipe();
    else await this.ctx.storage.setAlarm(next);
  }

  private session(address: SubjectAddress, id: string) {
    return sessionStub(this.env, address.tenant, id);
  }
}

function logFailure(event: string, cause: string): void {
  console.error(JSON.stringify({ event, cause }));
}
