import { DurableObject } from "cloudflare:workers";
import { getConfig } from "../config";
import { type Clock, systemClock } from "../core/clock";
import { applyPatchDocument } from "../core/entity/apply-patch";
import type { WriteRequest } from "../core/entity/entity";
import { preconditionHolds } from "../core/entity/preconditions";
import { fail, ok, type Result } from "../core/result";
import { initialTimes, isLive, slide } from "../core/session/expiry";
import { sessionState } from "../core/session/representation";
import type {
  CreateSessionRequest,
  PatchSessionRequest,
  SessionAddress,
  SessionOutcome,
  SessionRecord,
  SessionReply,
  SessionState,
  SessionStatus,
} from "../core/session/session";
import { type SealContext, SealError, type Sealer } from "../crypto/sealer";
import { IDEMPOTENCY_RETENTION_MS } from "./entity-store";
import { subjectStub } from "./names";
import { SerialQueue } from "./serial-queue";
import { type IdempotencyOp, SessionStore } from "./session-store";

/** One answer for unknown, expired and revoked sessions alike: no oracle. */
const notFound = () => fail("not_found", "no such session");

/**
 * One session (tenant/id): its sealed data, version and expiry, and the idempotency records of the
 * writes made to it. Writes run one at a time (SerialQueue: sealing opens the input gate); reads
 * do not wait for them, and check liveness again after their last await so a read never returns
 * a session whose revocation has already been acknowledged. Expired sessions are refused by the
 * clock at once; the alarm only cleans up after them.
 */
export class SessionObject extends DurableObject<Env> {
  /** Every time rule reads this clock. Tests replace it through runInDurableObject instead of sleeping. */
  clock: Clock = systemClock;
  private readonly store: SessionStore;
  private readonly writes = new SerialQueue();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SessionStore(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  create(address: SessionAddress, request: CreateSessionRequest): Promise<SessionReply> {
    return this.writes.run(async () => {
      const sealer = this.sealer();
      if (!sealer.ok) return reply(sealer, request);
      const replay = await this.replay(sealer.value, address, request);
      if (replay) return replay;
      if (this.store.session() || this.store.issued()) {
        // A derived id whose key's record has expired: an id is never issued twice. (A random id
        // cannot collide; the second branch only keeps the union closed.)
        const refusal = request.idempotency
          ? fail("idempotency_mismatch", "this Idempotency-Key has already created a session; use a new key")
          : fail("conflict", "this session id is already in use");
        return reply(refusal, request);
      }
      const now = this.clock.now();
      const { lifetime } = request;
      const record: SessionRecord = {
        id: address.id,
        tenant: address.tenant,
        subject: request.subject,
        version: 1,
        ...initialTimes(now, lifetime),
        sliding: lifetime.sliding,
        ttl: lifetime.ttl,
        revokedAt: null,
      };
      const sealed = await sealer.value.seal(request.data, dataContext(address, 1));
      const outcome = ok({ session: sessionState(record, request.data), created: true });
      return this.commit(sealer.value, address, request, "create", outcome, () =>
        this.store.insert(record, sealed, request.idempotency !== undefined),
      );
    });
  }

  /** A strong read; a sliding session is extended by the rule in core/session/expiry.ts. */
  async get(address: SessionAddress): Promise<Result<SessionState>> {
    const sealer = this.sealer();
    if (!sealer.ok) return sealer;
    // A patch committing while the data is being opened makes the read try again; after a few
    // tries it queues behind the writes, where no patch can overtake it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const read = await this.readOnce(sealer.value, address);
      if (read !== "changed") return read;
    }
    return this.writes.run(async () => {
      const read = await this.readOnce(sealer.value, address);
      return read === "changed" ? notFound() : read;
    });
  }

  patch(address: SessionAddress, request: PatchSessionRequest): Promise<SessionReply> {
    return this.writes.run(async () => {
      const sealer = this.sealer();
      if (!sealer.ok) return reply(sealer, request);
      const replay = await this.replay(sealer.value, address, request);
      if (replay) return replay;
      const now = this.clock.now();
      const stored = this.store.session();
      if (!stored?.data || !isLive(stored.record, now)) return reply(notFound(), request);
      const { record } = stored;
      if (!preconditionHolds(record.version, request.precondition)) {
        const outcome = fail("precondition_failed", "the session's version does not match the precondition", {
          currentVersion: record.version,
        });
        return this.commit(sealer.value, address, request, "patch", outcome);
      }
      const current = await openSealed(sealer.value, stored.data, dataContext(address, record.version));
      if (!current.ok) return reply(current, request);
      const patched = applyPatchDocument(current.value, { kind: "merge", patch: request.patch });
      if (!patched.ok) return this.commit(sealer.value, address, request, "patch", patched);
      const { maxBodyBytes } = getConfig(this.env);
      if (new TextEncoder().encode(patched.value).byteLength > maxBodyBytes) {
        const outcome = fail("payload_too_large", `the patched data would exceed ${maxBodyBytes} bytes`);
        return this.commit(sealer.value, address, request, "patch", outcome);
      }
      const version = record.version + 1;
      const sealed = await sealer.value.seal(patched.value, dataContext(address, version));
      // A write is a use of the session: it slides like a read.
      const step = slide(record, now);
      const next = { ...record, version, expiresAt: step.expiresAt };
      const outcome = ok({ session: sessionState(next, patched.value), created: false });
      return this.commit(sealer.value, address, request, "patch", outcome, () => {
        this.store.replaceData(sealed, version);
        if (step.persist) this.store.extend(step.expiresAt, now);
      });
    });
  }

  /** DELETE /v1/sessions/{id}: refused from the moment this commits, and gone from its subject's index. */
  revoke(address: SessionAddress, request: WriteRequest): Promise<SessionReply> {
    return this.writes.run(async () => {
      const sealer = this.sealer();
      if (!sealer.ok) return reply(sealer, request);
      const replay = await this.replay(sealer.value, address, request);
      if (replay) return replay;
      const now = this.clock.now();
      const stored = this.store.session();
      if (!stored || !isLive(stored.record, now)) return reply(notFound(), request);
      if (!preconditionHolds(stored.record.version, request.precondition)) {
        const outcome = fail("precondition_failed", "the session's version does not match the precondition", {
          currentVersion: stored.record.version,
        });
        return this.commit(sealer.value, address, request, "revoke", outcome);
      }
      const outcome: SessionOutcome = ok({ session: null, created: false });
      const done = await this.commit(sealer.value, address, request, "revoke", outcome, () =>
        this.store.revoke(now),
      );
      await this.tellSubject(stored.record);
      return done;
    });
  }

  /**
   * Revocation on behalf of the subject's index ("revoke all", the per-subject limit), which
   * updates itself: no call back. True when the session was live until now.
   */
  end(): Promise<boolean> {
    return this.writes.run(async () => {
      const now = this.clock.now();
      const stored = this.store.session();
      if (!stored || stored.record.revokedAt !== null) return false;
      const wasLive = isLive(stored.record, now);
      this.ctx.storage.transactionSync(() => this.store.revoke(now));
      await this.rearm();
      return wasLive;
    });
  }

  /** For the subject's index: is it live, and until when? Never extends the session. */
  async status(): Promise<SessionStatus> {
    const stored = this.store.session();
    if (!stored || !isLive(stored.record, this.clock.now())) return { live: false };
    return { live: true, createdAt: stored.record.createdAt, expiresAt: stored.record.expiresAt };
  }

  /** Purges an ended session, prunes old idempotency records, and deletes the object once empty. */
  override async alarm(): Promise<void> {
    await this.writes.run(async () => {
      const now = this.clock.now();
      const stored = this.store.session();
      if (stored && !isLive(stored.record, now)) {
        this.ctx.storage.transactionSync(() => this.store.purgeSession());
        // A revoked session's subject was told at revocation; telling it again is harmless.
        await this.tellSubject(stored.record);
      }
      if (this.store.oldestIdempotency() !== null)
        this.store.pruneIdempotency(now - IDEMPOTENCY_RETENTION_MS);
      await this.rearm();
    });
  }

  private async readOnce(sealer: Sealer, address: SessionAddress): Promise<Result<SessionState> | "changed"> {
    const first = this.store.session();
    if (!first?.data || !isLive(first.record, this.clock.now())) return notFound();
    const data = await openSealed(sealer, first.data, dataContext(address, first.record.version));
    if (!data.ok) return data;
    // Opening awaited WebCrypto, which opens the input gate: a revocation or a patch may have
    // committed meanwhile. Check again, with no await between this check and the reply.
    const now = this.clock.now();
    const current = this.store.session();
    if (!current || !isLive(current.record, now)) return notFound();
    if (current.record.version !== first.record.version) return "changed";
    const step = slide(current.record, now);
    // The old alarm still fires at the old expiry and re-arms for the new one; no setAlarm here.
    if (step.persist) this.store.extend(step.expiresAt, now);
    return ok(sessionState(current.record, data.value, step.expiresAt));
  }

  /** Replays or refuses by idempotency key; null when the request is new. */
  private async replay(
    sealer: Sealer,
    address: SessionAddress,
    request: WriteRequest,
  ): Promise<SessionReply | null> {
    const key = request.idempotency;
    const known = key ? this.store.idempotency(key.key) : null;
    if (!key || !known) return null;
    if (known.fingerprint !== key.fingerprint) {
      return reply(
        fail("idempotency_mismatch", "this Idempotency-Key was used with a different request"),
        request,
      );
    }
    // The session ended since: its data is gone, and a replay must not show it again.
    if (known.reply === null) return reply(notFound(), request);
    const opened = await openSealed(sealer, known.reply, replyContext(address, key.key));
    if (!opened.ok) return reply(opened, request);
    return { ...(JSON.parse(opened.value) as Omit<SessionReply, "replayed">), replayed: true };
  }

  /** Commits `mutate` and the idempotency record in one transaction, then re-arms the alarm. */
  private async commit(
    sealer: Sealer,
    address: SessionAddress,
    request: WriteRequest,
    op: IdempotencyOp,
    outcome: SessionOutcome,
    mutate?: () => void,
  ): Promise<SessionReply> {
    const key = request.idempotency;
    const first = { outcome, requestId: request.requestId };
    const sealedReply = key ? await sealer.seal(JSON.stringify(first), replyContext(address, key.key)) : null;
    const now = this.clock.now();
    this.store.ensure();
    this.ctx.storage.transactionSync(() => {
      mutate?.();
      if (key && sealedReply) {
        this.store.remember({
          key: key.key,
          fingerprint: key.fingerprint,
          op,
          reply: sealedReply,
          created_at: now,
        });
      }
    });
    await this.rearm();
    return { ...first, replayed: false };
  }

  /** One alarm: at the session's end (now, once revoked), or when the oldest record may go. */
  private async rearm(): Promise<void> {
    const stored = this.store.session();
    const oldest = this.store.oldestIdempotency();
    const candidates: number[] = [];
    if (stored) candidates.push(stored.record.revokedAt ?? stored.record.expiresAt);
    if (oldest !== null) candidates.push(oldest + IDEMPOTENCY_RETENTION_MS);
    if (candidates.length) await this.ctx.storage.setAlarm(Math.min(...candidates));
    else if (this.store.isReady()) await this.store.wipe();
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

  private sealer(): Result<Sealer> {
    const config = getConfig(this.env);
    return config.sealer ? ok(config.sealer) : fail("unavailable", config.problems.join("; "));
  }
}

const dataContext = (a: SessionAddress, version: number): SealContext => ({
  tenant: a.tenant,
  kind: "session",
  name: a.id,
  version,
});

const replyContext = (a: SessionAddress, key: string): SealContext => ({
  tenant: a.tenant,
  kind: "session-idempotency",
  name: a.id,
  version: key,
});

async function openSealed(sealer: Sealer, sealed: string, context: SealContext): Promise<Result<string>> {
  try {
    return ok(await sealer.open(sealed, context));
  } catch (e) {
    if (e instanceof SealError) return fail(e.reason, e.message);
    throw e;
  }
}

const reply = (outcome: SessionOutcome, request: WriteRequest): SessionReply => ({
  outcome,
  requestId: request.requestId,
  replayed: false,
});
