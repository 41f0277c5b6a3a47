// A transaction's hold on one entity (the participant's side of two-phase commit): what phase one
// staged — the version to store on commit, its body sealed exactly as the version row will keep it
// — and whom to ask when no verdict arrives. One hold at a time; while it stands, single writes
// wait for it briefly and are then refused (transaction-conflict), and other transactions are
// refused at once (fail fast: no transaction ever waits for another, so none can deadlock).
// Reads never see what is staged.
import type { Clock } from "../core/clock";
import type { EntityOp, HoldInfo } from "../core/entity/contract";
import { fail, ok, type Result } from "../core/result";
import type { OperationKind, Prepared } from "../core/transactions/contract";
import type { AlarmConcern } from "./shell/alarm-plan";
import type { Place, SealedValues } from "./shell/sealed-values";
import { notUnder } from "./shell/stale-rows";
import { Waiters } from "./shell/waiters";

/** A version staged for commit; `body` sealed (null for a delete's tombstone). */
export interface StagedVersion {
  version: number;
  op: EntityOp;
  at: number;
  expiresAt: number | null;
  body: string | null;
}

export interface Hold {
  transaction: string;
  /** The coordinator's object name within the tenant. */
  coordinator: string;
  /** The transaction's age (PrepareRequest.age). */
  age: number;
  op: OperationKind;
  since: number;
  /** When to ask the coordinator, if no verdict has arrived by then. */
  askAt: number;
  /** Questions asked so far without an answer: the next one waits longer. */
  asks: number;
  /** Null for a check: committing it stores nothing. */
  staged: StagedVersion | null;
  /** The answer a repeated prepare gets. */
  prepared: Prepared;
}

/**
 * How long a participant waits for its verdict before asking the coordinator. The coordinator
 * answers at once for a transaction it no longer runs (it aborted, or its object restarted), so a
 * hold left by a crash ends within about this time.
 */
export const ASK_AFTER_MS = 2_000;
/**
 * How long a single write, or an older transaction's prepare, waits for a hold to end before it is
 * refused with transaction-conflict. Verdicts normally arrive within milliseconds.
 */
export const HOLD_WAIT_MS = 1_000;
const MAX_ASK_BACKOFF_MS = 60_000;
const KEY = "hold";

export class EntityHolds implements AlarmConcern {
  readonly name = "transaction hold";
  private readonly waiters = new Waiters<void>();
  /** The stored hold, remembered once read (the object is its storage's only writer). */
  private known: Hold | null | undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly clock: Clock,
  ) {}

  current(): Hold | null {
    if (this.known === undefined) this.known = this.storage.kv.get<Hold>(KEY) ?? null;
    return this.known;
  }

  /** After a commit that threw: storage holds what it held before, read it again. */
  forget(): void {
    this.known = undefined;
  }

  info(): HoldInfo | null {
    const hold = this.current();
    return hold && { transaction: hold.transaction, op: hold.op, since: hold.since };
  }

  /** Synchronous: inside a commit's transaction. */
  store(hold: Hold): void {
    this.storage.kv.put(KEY, hold);
    this.known = hold;
  }

  /** Synchronous: inside the commit that applies or drops the hold. */
  clear(): void {
    this.storage.kv.delete(KEY);
    this.known = null;
  }

  /** After the commit that cleared the hold: everything waiting for it goes on. */
  released(): void {
    this.waiters.wake();
  }

  /** Resolves when the hold ends or after `ms`, whichever comes first (never rejects). */
  waitForRelease(ms: number): Promise<void> {
    return this.waiters.wait(ms, undefined);
  }

  /** The next question after one that got no answer (`retryAfterMs` null) or "not yet". */
  postponed(hold: Hold, retryAfterMs: number | null): Hold {
    const backoff = Math.min(MAX_ASK_BACKOFF_MS, ASK_AFTER_MS * 2 ** hold.asks);
    return { ...hold, asks: hold.asks + 1, askAt: this.clock.now() + (retryAfterMs ?? backoff) };
  }

  dueAt(): number | null {
    return this.current()?.askAt ?? null;
  }

  /** Key rotation: the staged body re-sealed under `primary`, as the write for one transaction. */
  async reseal(sealed: SealedValues, place: Place, primary: string): Promise<Result<(() => void)[]>> {
    const hold = this.current();
    const staged = hold?.staged;
    if (!hold || !staged?.body || !notUnder(staged.body, primary)) return ok([]);
    const resealed = await sealed.reseal(staged.body, place("entity", staged.version));
    if (!resealed.ok) return fail(resealed.code, `staged version ${staged.version}: ${resealed.detail}`);
    const body = resealed.value ?? staged.body;
    return ok([() => this.store({ ...hold, staged: { ...staged, body } })]);
  }
}

/**
 * The entity's expiry as an alarm concern. None while held: the purge waits for the verdict
 * (EntityObject.settle), and the expiry is armed again once the hold ends.
 */
export const expiryUnlessHeld = (holds: EntityHolds, expiresAt: () => number | null | undefined) => ({
  name: "expiry",
  dueAt: () => (holds.current() ? null : expiresAt()) ?? null,
});
