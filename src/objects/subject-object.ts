import { getConfig } from "../config";
import type { Keyed, Reply } from "../core/idempotency";
import { fail, ok } from "../core/result";
import type {
  CreateSessionRequest,
  SessionReply,
  SessionStatus,
  SubjectAddress,
  SubjectApi,
  SubjectSessionItem,
} from "../core/session/contract";
import { registerObject, sessionStub } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { type Place, placeOf } from "./shell/sealed-values";
import { type IndexRow, SubjectStore } from "./subject-store";

/** How long to wait before asking again about a session that did not answer. */
const RETRY_MS = 60_000;

type Revoked = { revoked: number };

/**
 * One subject (tenant/subject): the index of its sessions. Creates with a subject come through
 * here, so the index row is written before the session exists (a crash in between leaves an
 * extra row, never a missing one). Everything that reads the index — listing, the per-subject
 * limit, the expiry alarm — confirms rows with their sessions; "revoke all" revokes every
 * indexed session and waits for each before it replies.
 *
 * Index operations run one at a time (the shell's queue), so a listing can never drop the row of a
 * create still in flight. Calls go subject → session only, except `forget`, which a session sends
 * after revoking or purging itself; it does not queue, so the two can never wait on each other.
 * The index itself is ids and times; the records of "log out everywhere" are sealed, so a subject
 * is in its tenant's registry like every object holding sealed values.
 */
export class SubjectObject extends ObjectShell<SubjectAddress> implements SubjectApi {
  private readonly store: SubjectStore;
  protected readonly identity: IdentityRecord<SubjectAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SubjectStore(ctx.storage);
    this.identity = new IdentityRecord<SubjectAddress>(
      ctx.storage,
      this.time,
      (a) => registerObject(env, a.tenant, { kind: "subject", name: a.subject }),
      // Before identities, the first create stored the address under "address".
      () => ctx.storage.kv.get<SubjectAddress>("address"),
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "subject-idempotency", () =>
      this.store.isReady(),
    );
    const expiry = { name: "index expiry", dueAt: () => this.store.nextExpiry() };
    this.alarms = new AlarmPlan(ctx.storage, [expiry, this.ledger, this.identity], {
      // An empty index deletes its storage.
      idle: async () => {
        if (!this.store.isReady()) return;
        await this.store.wipe();
        this.identity.forget();
        this.ledger.forget();
      },
    });
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  create(address: SubjectAddress, id: string, request: CreateSessionRequest): Promise<SessionReply> {
    return this.queue.run(async () => {
      const now = this.clock.now();
      const identity = await this.identity.establish(address);
      this.store.ensure();
      // An upper bound until the session answers: the latest any session created now can end.
      let added = false;
      this.commit(() => {
        this.identity.store(identity);
        added = this.store.add({
          id,
          created_at: now,
          expires_at: now + request.lifetime.absoluteTtl * 1000,
        });
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
      // A replay too: the first attempt may have died after the session committed and before the
      // oldest was revoked, and its retry is the replay (enforcing is a no-op when within the limit).
      if (session) await this.enforceLimit(address, id);
      await this.alarms.rearm();
      return reply;
    });
  }

  /** The subject's live sessions, oldest first, each confirmed with its session. */
  list(address: SubjectAddress): Promise<SubjectSessionItem[]> {
    return this.queue.run(async () => {
      const live = await this.confirm(address, this.store.all());
      await this.alarms.rearm();
      return live;
    });
  }

  /** Revokes every indexed session and replies only once each has committed its revocation. */
  revokeAll(address: SubjectAddress, request: Keyed): Promise<Reply<Revoked>> {
    return this.write(
      address,
      request,
      () => this.decideRevokeAll(address),
      () => ok({ revoked: 0 }),
    );
  }

  /**
   * A session's note that it was revoked or purged. Synchronous: it cannot interleave with anything.
   * An index left empty is deleted by the alarm, inside the queue, never here, where a listing may
   * be waiting on its sessions with rows it is about to update.
   */
  async forget(id: string): Promise<void> {
    this.store.remove(id);
    if (this.store.isReady() && this.store.count() === 0) await this.alarms.wakeAt(this.clock.now());
  }

  private async decideRevokeAll(address: SubjectAddress): Promise<Decision<Revoked>> {
    const rows = this.store.all();
    const results = await Promise.allSettled(rows.map((row) => this.session(address, row.id).end()));
    const answered = rows.filter((_, i) => results[i]!.status === "fulfilled");
    const revoked = results.filter((r) => r.status === "fulfilled" && r.value).length;
    const failed = rows.length - answered.length;
    // Nothing to remove stores nothing: an unknown subject stays without storage.
    const persist =
      answered.length === 0
        ? undefined
        : () => {
            for (const row of answered) this.store.remove(row.id);
          };
    if (failed === 0) return { outcome: ok({ revoked }), ...(persist ? { persist } : {}) };
    logFailure("revoke_all_incomplete", `${failed} of ${rows.length} sessions did not answer`);
    // Not recorded: a retry under the same key must try again, not replay this refusal.
    const outcome = fail("unavailable", `${failed} sessions could not be revoked yet; repeat the request`);
    return { outcome, ...(persist ? { persist } : {}), unrecorded: true };
  }

  /** Confirms rows whose known expiry has passed (an empty index is deleted by the alarm plan). */
  protected async onAlarm(): Promise<void> {
    const address = this.identity.get()?.address;
    if (address) await this.confirm(address, this.store.stale(this.clock.now()));
  }

  protected override prepareStorage(): void {
    this.store.ensure();
  }

  protected placeOf(address: SubjectAddress): Place {
    return placeOf(address.tenant, address.subject);
  }

  protected label(address: SubjectAddress): string {
    return `subject ${address.subject}`;
  }

  /** Only the idempotency records of "revoke all" are sealed here. */
  protected sealedSets(): SealedSet[] {
    return [(place, primary, limit) => this.ledger.reseal(place, primary, limit)];
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
    this.commit(() => {
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
    this.commit(() => {
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

  private session(address: SubjectAddress, id: string) {
    return sessionStub(this.env, address.tenant, id);
  }
}

function logFailure(event: string, cause: string): void {
  console.error(JSON.stringify({ event, cause }));
}
