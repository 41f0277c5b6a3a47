import { getConfig } from "../config";
import type { WriteRequest } from "../core/entity/contract";
import { fail, ok, type Result } from "../core/result";
import type {
  CreateSessionRequest,
  PatchSessionRequest,
  SessionAddress,
  SessionApi,
  SessionRecord,
  SessionReply,
  SessionState,
  SessionStatus,
  SessionWrite,
} from "../core/session/contract";
import {
  decidePatch,
  hasEnded,
  newSession,
  noSuchSession,
  preconditionFailure,
} from "../core/session/decide";
import { isLive, slide } from "../core/session/expiry";
import { sessionState } from "../core/session/representation";
import type { WatchRequest, WatchStart } from "../core/watch/contract";
import { sessionData } from "../core/watch/messages";
import { keyWatchers, registerObject, subjectStub } from "./names";
import { NewestPlaintext } from "./newest-plaintext";
import { resealSession } from "./session-reseal";
import { SessionStore } from "./session-store";
import { EXPIRED, REVOKED, sessionWatchStart } from "./session-watch";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { type Place, placeOf } from "./shell/sealed-values";
import { WatchHub } from "./shell/watch-hub";

/**
 * One session (tenant/id): its sealed data, version and expiry, and the idempotency records of the
 * writes made to it. Writes run one at a time (the shell's queue: sealing opens the input gate);
 * reads do not wait for them, and check liveness again after their last await so a read never
 * returns a session whose revocation has already been acknowledged. Expired sessions are refused
 * by the clock at once; the alarm only cleans up after them, and deletes all of the object's
 * storage once nothing is left. Watchers see each data change, then `revoked` or `expired`.
 * The row and its data in plaintext stay in memory (session-store.ts, newest-plaintext.ts): a
 * read of a current session reads no row and opens nothing.
 */
export class SessionObject extends ObjectShell<SessionAddress> implements SessionApi {
  private readonly store: SessionStore;
  private readonly plaintext: NewestPlaintext;
  protected readonly identity: IdentityRecord<SessionAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SessionStore(ctx.storage);
    this.plaintext = new NewestPlaintext(this.store.dataVersion, () => this.sealed.ring());
    this.identity = new IdentityRecord<SessionAddress>(
      ctx.storage,
      this.time,
      (a) => registerObject(env, a.tenant, { kind: "session", name: a.id }),
      () => {
        const stored = this.store.session();
        return stored ? { tenant: stored.record.tenant, id: stored.record.id } : undefined;
      },
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "session-idempotency", () =>
      this.store.isReady(),
    );
    const end = {
      name: "session end",
      // At the session's end; at once once revoked, to purge it.
      dueAt: () => {
        const stored = this.store.session();
        return stored ? (stored.record.revokedAt ?? stored.record.expiresAt) : null;
      },
    };
    this.alarms = new AlarmPlan(ctx.storage, [end, this.ledger, this.identity], {
      // Ended sessions cost nothing: once nothing is due, every stored byte goes.
      idle: async () => {
        if (!this.store.isReady()) return;
        await this.store.wipe();
        this.plaintext.forget();
        this.identity.forget();
        this.ledger.forget();
      },
    });
    this.watchers = new WatchHub(ctx, keyWatchers(env, "session", ctx.id), env);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  create(address: SessionAddress, request: CreateSessionRequest): Promise<SessionReply> {
    return this.write(address, request, () => this.decideCreate(address, request), noSuchSession);
  }

  /** A strong read; a sliding session is extended by the rule in core/session/expiry.ts. */
  async get(address: SessionAddress): Promise<Result<SessionState>> {
    // A patch committing while the data is being opened makes the read try again; after a few
    // tries it queues behind the writes, where no patch can overtake it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const read = await this.readOnce(address);
      if (read !== "changed") return read;
    }
    return this.queue.run(async () => {
      const read = await this.readOnce(address);
      return read === "changed" ? noSuchSession() : read;
    });
  }

  patch(address: SessionAddress, request: PatchSessionRequest): Promise<SessionReply> {
    return this.write(address, request, () => this.decidePatch(address, request), noSuchSession);
  }

  /** DELETE /v1/sessions/{id}: refused from the moment this commits, and gone from its subject's index. */
  revoke(address: SessionAddress, request: WriteRequest): Promise<SessionReply> {
    return this.write(address, request, () => this.decideRevoke(request), noSuchSession);
  }

  /**
   * Revocation on behalf of the subject's index ("revoke all", the per-subject limit), which
   * updates itself: no call back. True when the session was live until now.
   */
  end(): Promise<boolean> {
    return this.queue.run(async () => {
      const now = this.clock.now();
      const stored = this.store.session();
      if (!stored || stored.record.revokedAt !== null) return false;
      this.commit(() => this.revokeNow(now), REVOKED);
      await this.alarms.rearm();
      return isLive(stored.record, now);
    });
  }

  /** For the subject's index: is it live, and until when? Never extends the session. */
  async status(): Promise<SessionStatus> {
    const stored = this.store.session();
    if (!stored || !isLive(stored.record, this.clock.now())) return { live: false };
    return { live: true, createdAt: stored.record.createdAt, expiresAt: stored.record.expiresAt };
  }

  private async decideCreate(
    address: SessionAddress,
    request: CreateSessionRequest,
  ): Promise<Decision<SessionWrite>> {
    if (this.store.session() || this.store.issued()) {
      // A derived id whose key's record has expired: an id is never issued twice. (A random id
      // cannot collide; the second branch only keeps the union closed.)
      const refusal = request.idempotency
        ? fail("idempotency_mismatch", "this Idempotency-Key has already created a session; use a new key")
        : fail("conflict", "this session id is already in use");
      return { outcome: refusal, unrecorded: true };
    }
    const record = newSession(address, request, this.clock.now());
    const sealed = await this.sealed.seal(request.data, this.placeOf(address)("session", 1));
    return {
      outcome: ok({ session: sessionState(record, request.data), created: true }),
      carriesData: true,
      persist: () => {
        this.store.insert(record, sealed, request.idempotency !== undefined);
        this.plaintext.keep(record.version, request.data);
      },
    };
  }

  private async decidePatch(
    address: SessionAddress,
    request: PatchSessionRequest,
  ): Promise<Decision<SessionWrite>> {
    const now = this.clock.now();
    const stored = this.store.session();
    // Nothing is stored for a session that does not exist (anyone can make an id up).
    if (!stored?.data || !isLive(stored.record, now)) return { outcome: noSuchSession(), unrecorded: true };
    const refused = preconditionFailure(stored.record, request.precondition);
    if (refused) return { outcome: refused };
    const current = await this.open(address, stored.record, stored.data);
    if (!current.ok) return { outcome: current, unrecorded: true };
    const { maxBodyBytes } = getConfig(this.env);
    const decided = decidePatch(stored.record, current.value, request.patch, now, maxBodyBytes);
    if (!decided.ok) return { outcome: decided.failure };
    const { record, data, extend } = decided;
    const sealed = await this.sealed.seal(data, this.placeOf(address)("session", record.version));
    return {
      outcome: ok({ session: sessionState(record, data), created: false }),
      carriesData: true,
      persist: () => {
        this.store.replaceData(sealed, record.version);
        this.plaintext.keep(record.version, data);
        if (extend.persist) this.store.extend(extend.expiresAt, now);
      },
      announce: { messages: [sessionData(record.version, data)] },
    };
  }

  private decideRevoke(request: WriteRequest): Decision<SessionWrite> {
    const now = this.clock.now();
    const stored = this.store.session();
    if (!stored || !isLive(stored.record, now)) return { outcome: noSuchSession(), unrecorded: true };
    const refused = preconditionFailure(stored.record, request.precondition);
    if (refused) return { outcome: refused };
    return {
      outcome: ok({ session: null, created: false }),
      persist: () => this.revokeNow(now),
      announce: REVOKED,
      after: () => this.tellSubject(stored.record),
    };
  }

  /** Revocation drops the data at once, and with it every stored reply that showed it. */
  private revokeNow(now: number): void {
    this.store.revoke(now);
    this.plaintext.forget();
    this.ledger.withdraw();
  }

  private async readOnce(address: SessionAddress): Promise<Result<SessionState> | "changed"> {
    const first = this.store.session();
    if (!first?.data || !isLive(first.record, this.clock.now())) return noSuchSession();
    const data = await this.open(address, first.record, first.data);
    if (!data.ok) return data;
    // Opening awaited WebCrypto, which opens the input gate: a revocation or a patch may have
    // committed meanwhile. Check again, with no await between this check and the reply.
    const now = this.clock.now();
    const current = this.store.session();
    if (!current || !isLive(current.record, now)) return noSuchSession();
    if (current.record.version !== first.record.version) return "changed";
    const step = slide(current.record, now);
    // The old alarm still fires at the old expiry and re-arms for the new one; no setAlarm here.
    if (step.persist) this.store.extend(step.expiresAt, now);
    return ok(sessionState(current.record, data.value, step.expiresAt));
  }

  /** An ended session is purged, with the replies that showed its data, before anything else. */
  protected override settle(): Promise<void> | void {
    const stored = this.store.session();
    if (!stored || !hasEnded(stored.record, this.clock.now())) return;
    // A revocation told the watchers when it committed; an expiry tells them now.
    this.commit(
      () => {
        this.store.purgeSession();
        this.plaintext.forget();
        this.ledger.withdraw();
      },
      stored.record.revokedAt === null ? EXPIRED : undefined,
    );
    // A revoked session's subject was told at revocation; telling it again is harmless.
    return this.tellSubject(stored.record);
  }

  protected async onAlarm(): Promise<void> {}

  /** A live session only (anything else is the same 404 as a read); its data is its only state. */
  protected override async startWatch(request: WatchRequest<SessionAddress>): Promise<Result<WatchStart>> {
    const stored = this.store.session();
    if (!stored?.data || !isLive(stored.record, this.clock.now())) return noSuchSession();
    const { data } = stored;
    return sessionWatchStart(stored.record.version, request.since, () =>
      this.open(request.address, stored.record, data),
    );
  }

  /** The session's data in plaintext: from memory when it holds this version, else opened. */
  private open(address: SessionAddress, record: SessionRecord, data: string): Promise<Result<string>> {
    const place = this.placeOf(address)("session", record.version);
    return this.plaintext.of(record, () => this.sealed.open(data, place));
  }

  /** A commit that failed stored nothing: what memory holds beside storage is read again. */
  protected override rolledBack(): void {
    this.store.forget();
    this.plaintext.forget();
  }

  protected override prepareStorage(): void {
    this.store.ensure();
  }

  protected placeOf(address: SessionAddress): Place {
    return placeOf(address.tenant, address.id);
  }

  protected label(address: SessionAddress): string {
    return `session ${address.id.slice(0, 8)}…`;
  }

  protected sealedSets(): SealedSet[] {
    return resealSession(this.store, this.sealed, this.ledger);
  }

  private async tellSubject(record: SessionRecord): Promise<void> {
    if (record.subject === null) return;
    try {
      await subjectStub(this.env, record.tenant, record.subject).forget(record.id);
    } catch (e) {
      // The index tolerates a stale row: it confirms rows with their sessions before trusting them.
      console.error(JSON.stringify({ event: "subject_forget_failed", cause: String(e) }));
    }
  }
}
