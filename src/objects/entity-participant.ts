// An entity as a participant of two-phase commit (the coordinator is a TransactionObject, see
// transaction-object.ts). Phase one stages the operation — the same decision as a single write,
// sealed — and stores it as the entity's hold; phase two applies it through the same writes as a
// single write (so the new version reaches history, KV, indexes and watchers alike) or drops it.
// A hold whose verdict does not arrive asks the coordinator from the alarm, with backoff, until it
// learns the outcome: a participant never decides alone, since the coordinator may have decided
// commit and told the others.

import type { Clock } from "../core/clock";
import type { EntityAddress } from "../core/entity/contract";
import type { Admit } from "../core/indexes/unique";
import { type Failure, fail, ok, type Result } from "../core/result";
import type {
  OperationCommand,
  Prepared,
  PrepareRequest,
  Resolution,
  Verdict,
} from "../core/transactions/contract";
import { CONFLICT_RETRY_AFTER_S } from "../core/transactions/outcome";
import type { Announcement } from "../core/watch/contract";
import { ASK_AFTER_MS, type EntityHolds, HOLD_WAIT_MS, type Hold, type StagedVersion } from "./entity-holds";
import { transactionStub } from "./names";

/** The object's own parts a participant works through. */
export interface ParticipantHost {
  readonly holds: EntityHolds;
  /** In the object's write queue, with keys available and storage caught up with the clock. */
  exclusive<T>(task: () => Promise<T>): Promise<T | Failure>;
  /** What `command` would store, decided from the live document and sealed; nothing is stored. */
  stage(address: EntityAddress, command: OperationCommand, admit: Admit): Promise<Result<Staging>>;
  /** Unique values claimed for a staged version, released once the hold is stored (or refused). */
  gate(address: EntityAddress, transaction: string): { admit: Admit; release: () => void };
  /** One commit with the object's identity (written on its first commit), arming the alarm for `wakeAt`. */
  persist(address: EntityAddress, change: () => void, wakeAt: number): Promise<void>;
  commit(change: () => void, announce?: Announcement): void;
  /** The writes of a new version: the same as a single write's (its body opened for its watchers). */
  storing(address: EntityAddress, version: StagedVersion): Promise<Result<Storing>>;
  /** Tests crash the object at a named step (ObjectShell.crashPoint). */
  crashPoint(step: string): Promise<void> | undefined;
}

/** How a version is stored: the writes inside the commit, what watchers hear, what follows it. */
export interface Storing {
  persist: () => void;
  announce: Announcement;
  after: () => void;
}

export interface Staging {
  prepared: Prepared;
  staged: StagedVersion | null;
}

/** A single write or another transaction meeting a hold. */
export const heldBy = (hold: Hold) =>
  fail(
    "transaction_conflict",
    `the entity is held by transaction ${hold.transaction}, which is not decided yet; retry`,
    { retryAfterSeconds: CONFLICT_RETRY_AFTER_S },
  );

const WAIT = Symbol("wait for the hold to end");

/** Wait-die's order: by age, then by id, so any two transactions compare the same way everywhere. */
const older = (a: { age: number; transaction: string }, b: { age: number; transaction: string }) =>
  a.age < b.age || (a.age === b.age && a.transaction < b.transaction);

export class EntityParticipant {
  constructor(
    private readonly env: Env,
    private readonly clock: Clock,
    private readonly host: ParticipantHost,
  ) {}

  /**
   * Phase one. A repeat of the same transaction's prepare gets the same answer. Meeting another
   * transaction's hold, an older transaction waits for it (outside the write queue, which the
   * verdict needs, and bounded like a single write's wait) and a younger one is refused at once.
   */
  async prepare(address: EntityAddress, request: PrepareRequest): Promise<Result<Prepared>> {
    const until = Date.now() + HOLD_WAIT_MS;
    for (;;) {
      const mayWait = Date.now() < until;
      const answer = await this.host.exclusive(async () => {
        const held = this.host.holds.current();
        if (!held) return this.stage(address, request);
        if (held.transaction === request.transaction) return ok(held.prepared);
        return mayWait && older(request, held) ? WAIT : heldBy(held);
      });
      if (answer !== WAIT) return answer;
      await this.host.holds.waitForRelease(until - Date.now());
    }
  }

  /** Stages the operation and stores it as the entity's hold (in the write queue). */
  private async stage(address: EntityAddress, request: PrepareRequest): Promise<Result<Prepared>> {
    const gate = this.host.gate(address, request.transaction);
    try {
      return await this.hold(address, request, gate.admit);
    } finally {
      gate.release();
    }
  }

  private async hold(
    address: EntityAddress,
    request: PrepareRequest,
    admit: Admit,
  ): Promise<Result<Prepared>> {
    const staging = await this.host.stage(address, request.command, admit);
    if (!staging.ok) return staging;
    const now = this.clock.now();
    const hold: Hold = {
      transaction: request.transaction,
      coordinator: request.coordinator,
      age: request.age,
      op: request.command.op,
      since: now,
      askAt: now + ASK_AFTER_MS,
      asks: 0,
      ...staging.value,
    };
    await this.host.crashPoint("prepare");
    // The alarm is armed with the hold, so a hold that no verdict reaches always asks in the end.
    await this.host.persist(address, () => this.host.holds.store(hold), hold.askAt);
    await this.host.crashPoint("prepared");
    return ok(hold.prepared);
  }

  /** Phase two. A verdict for a transaction that no longer holds the entity changes nothing. */
  finish(address: EntityAddress, transaction: string, verdict: Verdict): Promise<Result<void>> {
    return this.host.exclusive(async () => {
      const hold = this.host.holds.current();
      return hold?.transaction === transaction ? this.end(address, hold, verdict) : ok(undefined);
    });
  }

  /** From the alarm (in the write queue): a hold whose verdict is overdue asks its coordinator. */
  async ask(address: EntityAddress): Promise<void> {
    const hold = this.host.holds.current();
    if (!hold || hold.askAt > this.clock.now()) return;
    let answer: Resolution | null = null;
    try {
      answer = await transactionStub(this.env, address.tenant, hold.coordinator).resolve(hold.transaction);
    } catch (e) {
      console.error(JSON.stringify({ event: "transaction_resolve_failed", cause: String(e) }));
    }
    if (answer && answer.verdict !== "undecided") {
      if ((await this.end(address, hold, answer.verdict)).ok) return;
      answer = null;
    }
    const retryAfterMs = answer?.verdict === "undecided" ? answer.retryAfterMs : null;
    this.host.commit(() => this.host.holds.store(this.host.holds.postponed(hold, retryAfterMs)));
  }

  /**
   * Applies or drops the hold in one commit, then lets waiting writes and reads go on. A commit
   * whose staged body cannot be opened (a key gone) keeps the hold: the verdict is told again.
   */
  private async end(address: EntityAddress, hold: Hold, verdict: Verdict): Promise<Result<void>> {
    if (verdict === "commit") await this.host.crashPoint("commit");
    let storing: Storing | null = null;
    if (verdict === "commit" && hold.staged) {
      const opened = await this.host.storing(address, hold.staged);
      if (!opened.ok) return opened;
      storing = opened.value;
    }
    this.host.commit(() => {
      storing?.persist();
      this.host.holds.clear();
    }, storing?.announce);
    this.host.holds.released();
    storing?.after();
    return ok(undefined);
  }
}
