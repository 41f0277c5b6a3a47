// The coordinator of one transaction across entities: two-phase commit over Durable Objects.
//   1. Prepare: every participant (an EntityObject) stages its operation and holds the entity.
//   2. Decide: commit when every one staged, otherwise abort; the verdict (with who is owed it)
//      and the reply are stored in one commit before anyone is told.
//   3. Tell: every participant applies or drops what it staged; the alarm tells again, with
//      backoff, whoever did not acknowledge, and the attempt is forgotten once all have.
// Undecided attempts are never stored (presumed abort): a participant asking about an attempt
// that is neither stored nor running here learns "abort", and nothing can decide it later — only
// the run that started an attempt decides it, and it lives in this instance's memory.
import type { EntityAddress } from "../core/entity/contract";
import { fail } from "../core/result";
import type {
  CoordinatorApi,
  Resolution,
  TransactionAddress,
  TransactionReply,
  TransactionRequest,
  TransactionResult,
  Verdict,
} from "../core/transactions/contract";
import { decideTransaction } from "../core/transactions/outcome";
import { registerObject, unregisterObject } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { type Place, placeOf } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";
import { pause } from "./shell/waiters";
import { logFailure, prepareAll, tellAll } from "./transaction-phases";
import { type AttemptRow, TransactionStore } from "./transaction-store";

/** Attempts of one transaction stopped only by other transactions' holds, and the time they may take. */
const MAX_ATTEMPTS = 6;
const RETRY_BUDGET_MS = 1_500;
const RETRY_PAUSE_MS = 10;
const RETELL_MS = 1_000;
const MAX_RETELL_MS = 60_000;
/** What a participant asking about a running attempt is told to wait. */
const RUNNING_RETRY_MS = 1_000;

const kept = () => fail("internal", "transaction replies are never withdrawn");

export class TransactionObject extends ObjectShell<TransactionAddress> implements CoordinatorApi {
  private readonly store: TransactionStore;
  protected readonly identity: IdentityRecord<TransactionAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;
  /** Attempts this instance is deciding. */
  private readonly running = new Set<string>();
  /** Registration starts beside phase one; when nothing gets stored, `wipe` takes it back. */
  private registering: TransactionAddress | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new TransactionStore(ctx.storage);
    this.identity = new IdentityRecord<TransactionAddress>(ctx.storage, this.time, (a) =>
      registerObject(env, a.tenant, { kind: "transaction", name: a.name }),
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "transaction-idempotency", () =>
      this.store.isReady(),
    );
    const telling = { name: "verdicts owed", dueAt: () => this.store.nextRetry() };
    this.alarms = new AlarmPlan(ctx.storage, [telling, this.ledger, this.identity], {
      idle: async () => this.wipeLater(),
    });
    void ctx.blockConcurrencyWhile(async () => this.store.upgrade());
  }

  run(address: TransactionAddress, request: TransactionRequest): Promise<TransactionReply> {
    const attempts: string[] = [];
    return this.write(address, request, () => this.decide(address, request, attempts), kept).finally(() => {
      for (const attempt of attempts) this.running.delete(attempt);
    });
  }

  /** A held participant's question. Never waits for the write queue: a run may be waiting on it. */
  async resolve(transaction: string): Promise<Resolution> {
    const stored = this.store.attempt(transaction);
    if (stored) return { verdict: stored.verdict };
    if (this.running.has(transaction)) return { verdict: "undecided", retryAfterMs: RUNNING_RETRY_MS };
    return { verdict: "abort" };
  }

  /**
   * Phase one, then the verdict. An attempt stopped only by other transactions' holds is dropped
   * and tried again after a pause, under the age of the first attempt: older transactions wait at a
   * hold where younger ones give way (entity-participant.ts), so it ends up oldest and goes through.
   */
  private async decide(
    address: TransactionAddress,
    request: TransactionRequest,
    attempts: string[],
  ): Promise<Decision<TransactionResult>> {
    this.registering = address;
    const registration = this.identity.establish(address);
    const participants = request.operations.map(({ type, id }) => ({ tenant: address.tenant, type, id }));
    const commands = request.operations.map((operation) => operation.command);
    const age = this.clock.now();
    const budget = Date.now() + RETRY_BUDGET_MS;
    for (let round = 0; ; round++) {
      const transaction = crypto.randomUUID();
      attempts.push(transaction);
      this.running.add(transaction);
      const meta = { transaction, coordinator: address.name, age };
      const phase = await prepareAll(this.env, participants, commands, meta, () =>
        this.crashPoint("prepare-sent"),
      );
      await this.crashPoint("prepared");
      const decided = decideTransaction(transaction, request.operations, phase.answers);
      // Owed the verdict: every participant that staged, or may have (its prepare did not answer).
      const owed = phase.answers.flatMap((answer, i) => (answer.ok || phase.uncertain.has(i) ? [i] : []));
      const conflicted = !decided.outcome.ok && decided.outcome.code === "transaction_conflict";
      if (conflicted && round + 1 < MAX_ATTEMPTS && Date.now() < budget) {
        // Never stored, so already "abort" to anyone asking: telling is only quicker than their asking.
        this.running.delete(transaction);
        await tellAll(this.env, participants, owed, transaction, "abort");
        await pause(RETRY_PAUSE_MS * 2 ** round * (0.5 + Math.random()));
        continue;
      }
      const row =
        owed.length > 0 ? await this.attemptRow(address, transaction, decided.verdict, owed, request) : null;
      // A reply kept under the key needs the ledger's table.
      if (decided.recorded && request.idempotency) this.store.ensure();
      await registration;
      return {
        outcome: decided.outcome,
        ...(decided.recorded ? {} : { unrecorded: true as const }),
        // The alarm is armed with the verdict: whoever is not told now is told from it.
        ...(row
          ? {
              persist: () => this.store.insert(row),
              wakeAt: row.retryAt,
              after: () => this.tell(row, participants),
            }
          : {}),
      };
    }
  }

  private async attemptRow(
    address: TransactionAddress,
    id: string,
    verdict: Verdict,
    owed: number[],
    request: TransactionRequest,
  ): Promise<AttemptRow> {
    const pairs = JSON.stringify(request.operations.map(({ type, id }) => [type, id]));
    const participants = await this.sealed.seal(pairs, this.placeOf(address)("transaction-participants", id));
    return { id, verdict, participants, pending: owed, retryAt: this.clock.now() + RETELL_MS, tries: 0 };
  }

  /** Phase two for the participants still owed the verdict; whoever does not acknowledge is told again later. */
  private async tell(row: AttemptRow, participants: EntityAddress[]): Promise<void> {
    await this.crashPoint("decided");
    const told = await tellAll(this.env, participants, row.pending, row.id, row.verdict, () =>
      this.crashPoint("half-committed"),
    );
    const left = row.pending.filter((_, k) => !told[k]);
    const retryAt = this.clock.now() + Math.min(MAX_RETELL_MS, RETELL_MS * 2 ** row.tries);
    this.commit(() => this.store.acknowledged(row, left, retryAt));
  }

  protected async onAlarm(): Promise<void> {
    const address = this.identity.get()?.address;
    if (!address) return;
    for (const row of this.store.due(this.clock.now())) {
      const pairs = await this.sealed.open(
        row.participants,
        this.placeOf(address)("transaction-participants", row.id),
      );
      if (!pairs.ok) {
        logFailure("transaction_participants_unreadable", pairs.detail);
        this.commit(() => this.store.acknowledged(row, row.pending, this.clock.now() + MAX_RETELL_MS));
        continue;
      }
      const participants = (JSON.parse(pairs.value) as [string, string][]).map(([type, id]) => ({
        tenant: address.tenant,
        type,
        id,
      }));
      await this.tell(row, participants);
    }
  }

  /**
   * Nothing owed and no reply kept: once this reply is out, every stored byte goes. The wipe waits
   * its turn in the write queue, so it never runs beside another run, and looks again first.
   */
  private wipeLater(): void {
    this.ctx.waitUntil(
      this.queue.run(async () => {
        if (this.alarms.next() === null) await this.wipe();
      }),
    );
  }

  /** Every stored byte goes (the alarm too), and the registry forgets the object. */
  private async wipe(): Promise<void> {
    const address = this.identity.get()?.address ?? this.registering;
    await this.store.wipe();
    this.identity.forget();
    this.registering = null;
    if (address) this.ctx.waitUntil(this.unregister(address));
  }

  private async unregister(address: TransactionAddress): Promise<void> {
    await unregisterObject(this.env, address.tenant, { kind: "transaction", name: address.name }).catch(
      (e: unknown) => logFailure("registry_forget_failed", e),
    );
  }

  protected placeOf(address: TransactionAddress): Place {
    return placeOf(address.tenant, `transaction/${address.name}`);
  }

  protected label(address: TransactionAddress): string {
    return `transaction ${address.name}`;
  }

  protected sealedSets(): SealedSet[] {
    const attempts: SealedSet = (place, primary, limit) =>
      resealEach(this.sealed, this.store.participantsNotUnder(primary, limit), {
        value: (row) => row.participants,
        context: (row) => place("transaction-participants", row.id),
        name: (row) => `attempt ${row.id}`,
        replace: (row, value) => this.store.replaceParticipants(row, value),
      });
    return [attempts, (place, primary, limit) => this.ledger.reseal(place, primary, limit)];
  }
}
