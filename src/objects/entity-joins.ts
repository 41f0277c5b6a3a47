// An entity joining its type's index generations (a build's visit, or generations its registry
// told it of): its current state goes to each generation it has not joined, in one commit, and
// its values of a unique index are claimed there. An entity that joins a unique index holding the
// same values as one that joined before it keeps its document (the write happened before the
// index existed), and the claim stays with the first: any later write keeping those values on the
// second is refused. A build of a unique index over duplicates reports them in the log.
import type { Clock } from "../core/clock";
import type { EntityAddress } from "../core/entity/contract";
import type { CatalogSnapshot } from "../core/indexes/contract";
import { ok, type Result } from "../core/result";
import type { EntityHolds } from "./entity-holds";
import type { EntityIndexing } from "./entity-indexing";
import type { EntityUniqueness } from "./entity-unique";
import type { EntityVersions } from "./entity-versions";
import type { Outbox } from "./shell/outbox";

export interface JoinParts {
  indexing: EntityIndexing;
  versions: EntityVersions;
  holds: EntityHolds;
  uniqueness: EntityUniqueness;
  outbox: Outbox;
  clock: Clock;
}

export interface JoinHost {
  commit: (change: () => void) => void;
  /** Whether the entity ever committed (and so registered). */
  registered: () => boolean;
}

export class EntityJoins {
  constructor(
    private readonly parts: JoinParts,
    private readonly host: JoinHost,
  ) {}

  /**
   * A build's visit (index-build.ts), in the write queue: from now on this entity delivers to
   * every generation of `snapshot`. Replies with the rows still owed to them (0: indexed).
   */
  async join(address: EntityAddress, snapshot: CatalogSnapshot): Promise<Result<{ pending: number }>> {
    // Learned first (stored at once), even before the first commit: an entity that registered and
    // whose first write was refused would otherwise keep the registry's older answer in memory.
    this.parts.indexing.learn(snapshot);
    // Never committed: its first commit delivers to every generation it now knows.
    if (!this.host.registered()) return ok({ pending: 0 });
    const joined = await this.joinKnown(address);
    if (!joined.ok) return joined;
    await this.parts.outbox.deliver();
    return ok({ pending: this.parts.indexing.pending(snapshot) });
  }

  /** Gives the generations this entity knows but has not joined its current state. In the queue. */
  async joinKnown(address: EntityAddress): Promise<Result<void>> {
    const { indexing } = this.parts;
    const gens = indexing.unjoined();
    if (gens.length === 0) return ok(indexing.save());
    const state = await this.parts.versions.indexedState(address, this.parts.clock.now());
    if (!state.ok) return state;
    if (gens.some((g) => g.unique)) {
      const claimed = await this.claimUnique(address, "body" in state.value ? state.value.body : null);
      if (!claimed.ok) return claimed;
    }
    this.host.commit(() => indexing.record(address, state.value, gens));
    return ok(undefined);
  }

  /**
   * Claims the committed document's values and those of a version a transaction has staged here:
   * that one was prepared before this entity knew the index, so nothing claimed it, and it may
   * commit once the index is active. Values another entity already holds are logged, not refused.
   */
  private async claimUnique(address: EntityAddress, committed: string | null): Promise<Result<void>> {
    const hold = this.parts.holds.current();
    const staged = hold?.staged?.body ? await this.parts.versions.open(address, hold.staged) : null;
    if (staged && !staged.ok) return staged;
    const bodies: [string | null, string | null][] = [
      [committed, null],
      [staged?.value ?? null, hold?.transaction ?? null],
    ];
    for (const [body, transaction] of bodies) {
      if (body === null) continue;
      const gate = this.parts.uniqueness.gate(address, transaction);
      const claimed = await gate.admit(body);
      gate.release();
      if (!claimed.ok && claimed.code !== "unique_violation") return claimed;
      if (!claimed.ok) {
        console.error(
          JSON.stringify({ event: "unique_index_duplicate", entity: address.id, cause: claimed.detail }),
        );
      }
    }
    return ok(undefined);
  }
}
