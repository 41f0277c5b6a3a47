// One value of one unique index (tenant/type/generation/key hash): which entity holds it. Claims
// of a value run one at a time here, so two writes giving two entities the same value are decided
// in one order. A claim naming another entity asks that entity (core/indexes/unique.ts) and takes
// the value over only when it no longer holds it; while the other's write or transaction is
// undecided, the claim waits briefly and asks again. The asked entity answers from what it has
// committed or staged and never waits for its own writes, so a claim never waits in a cycle.
// Nothing here is sealed: the object's name holds the blind hash, not the value, and its record
// is an entity id, which the tenant registry keeps in the clear too.
//
// A claim is never released by its holder, so this object would outlive the value: one object
// per value ever claimed. Instead it checks on its owner from its alarm, in the same queue as the
// claims: an hour after a claim, then at doubling intervals while the owner still holds the value.
// When the owner's answer is "take" (the same answer a new claimant would act on), the object
// deletes its storage, so nothing can take the value between the answer and the delete.
import { DurableObject } from "cloudflare:workers";
import { type Clock, systemClock } from "../core/clock";
import type { Generation } from "../core/indexes/contract";
import { type ClaimVerdict, judgeClaim } from "../core/indexes/unique";
import { fail, ok, type Result } from "../core/result";
import { CONFLICT_RETRY_AFTER_S } from "../core/transactions/outcome";
import { entityStub } from "./names";
import { SerialQueue } from "./serial-queue";
import { AlarmPlan } from "./shell/alarm-plan";
import { pause } from "./shell/waiters";

export interface ClaimRequest {
  tenant: string;
  type: string;
  /** The claiming entity's id. */
  id: string;
  gen: Generation;
  /** The value's blind hash, base64url. */
  hash: string;
  /** The claimant's transaction, or null for a single write. */
  transaction: string | null;
}

const OWNER = "owner";
/** The alarm's next question to the owner (a Check). */
const CHECK = "check";
const FIRST_CHECK_MS = 60 * 60_000;
const LONGEST_CHECK_MS = 30 * 24 * 60 * 60_000;
/** The owner could not say yet (a write of it undecided, or unreachable): ask again soon. */
const RECHECK_MS = 60_000;
/** Asking again while the holder's write is undecided: 5, 10, … 320 ms, about 0.6 s in all. */
const FIRST_PAUSE_MS = 5;
const LAST_PAUSE_MS = 320;

interface Check {
  /** Which value this object is, for the question (the object's name is only a hash of it). */
  value: Pick<ClaimRequest, "tenant" | "type" | "gen" | "hash">;
  /** When to ask (epoch ms). */
  at: number;
  /** The wait before `at`, doubled after each check the owner still holds the value through. */
  every: number;
}

export class UniqueKeyObject extends DurableObject<Env> {
  /** Tests replace it through runInDurableObject to move time. */
  clock: Clock = systemClock;
  private readonly queue = new SerialQueue();
  private readonly alarms = new AlarmPlan(
    this.ctx.storage,
    [{ name: "owner-check", dueAt: () => this.ctx.storage.kv.get<Check>(CHECK)?.at ?? null }],
    // Nothing to check: the value is free, and this object goes with its storage (and alarm).
    { idle: () => this.ctx.storage.deleteAll() },
  );

  /** The value for `request.id`, unless another live entity holds it. */
  claim(request: ClaimRequest): Promise<Result<void>> {
    return this.queue.run(async () => {
      const owner = this.ctx.storage.kv.get<string>(OWNER);
      if (owner === request.id) {
        // An object from before owners were checked on has no check armed: it gets one now.
        if (this.ctx.storage.kv.get(CHECK) === undefined) await this.checkIn(request, FIRST_CHECK_MS);
        return ok(undefined);
      }
      if (owner !== undefined) {
        const verdict = await this.ask(request, owner);
        if (verdict === "taken") {
          return fail(
            "unique_violation",
            `${request.type}/${owner} already has these values of unique index ${request.gen.index}`,
          );
        }
        if (verdict !== "take") {
          const detail = `${request.type}/${owner} may be taking these values of unique index ${request.gen.index}; retry`;
          return fail(verdict, detail, { retryAfterSeconds: CONFLICT_RETRY_AFTER_S });
        }
      }
      this.ctx.storage.kv.put(OWNER, request.id);
      await this.checkIn(request, FIRST_CHECK_MS);
      return ok(undefined);
    });
  }

  /** Asks the owner whether it still holds the value; forgets the value once it does not. */
  override async alarm(): Promise<void> {
    this.alarms.fired();
    await this.queue.run(async () => {
      const owner = this.ctx.storage.kv.get<string>(OWNER);
      const check = this.ctx.storage.kv.get<Check>(CHECK);
      if (owner === undefined || check === undefined) return this.alarms.rearm();
      const verdict = await this.ask({ ...check.value, id: owner, transaction: null }, owner);
      if (verdict === "take") {
        // The plan is then idle, and deletes this object's storage.
        this.ctx.storage.kv.delete(CHECK);
        return this.alarms.rearm();
      }
      if (verdict === "taken") return this.checkIn(check.value, Math.min(check.every * 2, LONGEST_CHECK_MS));
      this.ctx.storage.kv.put<Check>(CHECK, { ...check, at: this.clock.now() + RECHECK_MS });
      return this.alarms.rearm();
    });
  }

  private async checkIn({ tenant, type, gen, hash }: Check["value"], every: number): Promise<void> {
    const value = { tenant, type, gen, hash };
    this.ctx.storage.kv.put<Check>(CHECK, { value, at: this.clock.now() + every, every });
    await this.alarms.rearm();
  }

  private async ask(
    request: ClaimRequest,
    owner: string,
  ): Promise<Exclude<ClaimVerdict, "wait"> | "transaction_conflict" | "unavailable"> {
    const address = { tenant: request.tenant, type: request.type, id: owner };
    for (let wait = FIRST_PAUSE_MS; ; wait *= 2) {
      let verdict: ClaimVerdict;
      try {
        const holder = await entityStub(this.env, address).uniqueHolder(address, request.gen, request.hash);
        verdict = judgeClaim(holder, request.transaction);
      } catch (e) {
        console.error(JSON.stringify({ event: "unique_holder_unreachable", cause: String(e) }));
        return "unavailable";
      }
      if (verdict !== "wait") return verdict;
      if (wait > LAST_PAUSE_MS) return "transaction_conflict";
      await pause(wait);
    }
  }
}

/** The claim object of one value. */
export const uniqueKeyStub = (env: Env, r: Pick<ClaimRequest, "tenant" | "type" | "gen" | "hash">) =>
  env.UNIQUE_KEYS.getByName(`${r.tenant}/${r.type}/${r.gen.gen}/${r.hash}`);
