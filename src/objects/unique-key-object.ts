// One value of one unique index (tenant/type/generation/key hash): which entity holds it. Claims
// of a value run one at a time here, so two writes giving two entities the same value are decided
// in one order. A claim naming another entity asks that entity (core/indexes/unique.ts) and takes
// the value over only when it no longer holds it; while the other's write or transaction is
// undecided, the claim waits briefly and asks again. The asked entity answers from what it has
// committed or staged and never waits for its own writes, so a claim never waits in a cycle.
// Nothing here is sealed: the object's name holds the blind hash, not the value, and its record
// is an entity id, which the tenant registry keeps in the clear too.
import { DurableObject } from "cloudflare:workers";
import type { Generation } from "../core/indexes/contract";
import { type ClaimVerdict, judgeClaim } from "../core/indexes/unique";
import { fail, ok, type Result } from "../core/result";
import { CONFLICT_RETRY_AFTER_S } from "../core/transactions/outcome";
import { entityStub } from "./names";
import { SerialQueue } from "./serial-queue";
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
/** Asking again while the holder's write is undecided: 5, 10, … 320 ms, about 0.6 s in all. */
const FIRST_PAUSE_MS = 5;
const LAST_PAUSE_MS = 320;

export class UniqueKeyObject extends DurableObject<Env> {
  private readonly queue = new SerialQueue();

  /** The value for `request.id`, unless another live entity holds it. */
  claim(request: ClaimRequest): Promise<Result<void>> {
    return this.queue.run(async () => {
      const owner = this.ctx.storage.kv.get<string>(OWNER);
      if (owner === request.id) return ok(undefined);
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
      return ok(undefined);
    });
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
