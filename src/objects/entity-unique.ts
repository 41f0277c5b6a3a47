// An entity's side of unique indexes: before a version that has a unique index's key values is
// stored (a single write's commit, or a transaction's hold), the entity claims each value
// (unique-key-object.ts), and it answers other claims of a value it may hold. A claim under way
// is known in memory until its write has committed (or been refused), so an entity asked in
// between says "wait" rather than "free"; after the commit, its document or its hold answers.

import type { Clock } from "../core/clock";
import type { EntityAddress } from "../core/entity/contract";
import type { Generation } from "../core/indexes/contract";
import type { Admit, HolderState } from "../core/indexes/unique";
import type { JsonValue } from "../core/json/json-value";
import { fail, ok, type Result } from "../core/result";
import type { EntityHolds } from "./entity-holds";
import type { EntityIndexing } from "./entity-indexing";
import type { EntityStore } from "./entity-store";
import type { EntityVersions } from "./entity-versions";
import { uniqueKeyStub } from "./unique-key-object";

/** Claimed values of one write, released once it has committed or been refused. */
export interface Claims {
  outcome: Result<void>;
  release: () => void;
}

const none: Claims = { outcome: ok(undefined), release: () => undefined };
const unregistered: Claims = {
  outcome: fail("unavailable", "the tenant's registry did not answer this new entity's registration; retry", {
    retryAfterSeconds: 1,
  }),
  release: () => undefined,
};

export class EntityUniqueness {
  /** Values being claimed by this entity's writes now (a count: consecutive writes may share one). */
  private readonly claiming = new Map<string, number>();

  constructor(
    private readonly env: Env,
    private readonly clock: Clock,
    private readonly parts: {
      store: EntityStore;
      holds: EntityHolds;
      indexing: EntityIndexing;
      versions: EntityVersions;
      /** The entity's registration, where a new entity learns its type's indexes. */
      registered: (address: EntityAddress) => Promise<{ registered: boolean }>;
    },
  ) {}

  /** The hook for EntityVersions (`admit`), and the release of what it claimed, once committed. */
  gate(address: EntityAddress, transaction: string | null): { admit: Admit; release: () => void } {
    const held: Claims[] = [];
    return {
      admit: async (body) => {
        const claims = await this.claim(address, body, transaction);
        held.push(claims);
        return claims.outcome;
      },
      release: () => {
        for (const claims of held.splice(0)) claims.release();
      },
    };
  }

  /** Claims every unique value of `body` (JSON text; null for a delete), all at once. */
  async claim(address: EntityAddress, body: string | null, transaction: string | null): Promise<Claims> {
    if (body === null) return none;
    // Unregistered (its registry shard did not answer), the entity cannot know its type's unique
    // indexes, and no build would visit it: it stores no document until a registration lands.
    if (!(await this.parts.registered(address)).registered) return unregistered;
    const gens = this.parts.indexing.uniqueGens();
    if (gens.length === 0) return none;
    const doc = JSON.parse(body) as JsonValue;
    const values = gens.flatMap((gen) => {
      const hash = this.parts.indexing.hashIn(address, gen, doc);
      return hash === null ? [] : [{ gen, hash }];
    });
    const keys = values.map(({ gen, hash }) => `${gen.gen}/${hash}`);
    for (const key of keys) this.claiming.set(key, (this.claiming.get(key) ?? 0) + 1);
    const release = () => {
      for (const key of keys) {
        const left = (this.claiming.get(key) ?? 1) - 1;
        if (left === 0) this.claiming.delete(key);
        else this.claiming.set(key, left);
      }
    };
    const answers: Result<void>[] = await Promise.all(
      values.map(({ gen, hash }) =>
        uniqueKeyStub(this.env, { ...address, gen, hash }).claim({ ...address, gen, hash, transaction }),
      ),
    );
    const outcome = answers.find((a) => !a.ok) ?? ok(undefined);
    // Refused under an index this entity may know of only because it was dropped since: learn the
    // catalog's generations, and claim again in those.
    if (!outcome.ok && outcome.code === "unique_violation" && (await this.parts.indexing.refresh(address))) {
      release();
      return this.claim(address, body, transaction);
    }
    return { outcome, release };
  }

  /**
   * Whether this entity holds `hash` in `gen`. Claims under way, the live row and the hold are
   * read in one synchronous step before anything is opened: a write that commits the value after
   * this step was still claiming it during it.
   */
  async holder(address: EntityAddress, gen: Generation, hash: string): Promise<HolderState> {
    const claiming = this.claiming.has(`${gen.gen}/${hash}`);
    const live = this.parts.store.live(this.clock.now());
    const hold = this.parts.holds.current();
    const { versions } = this.parts;
    const has = async (row: { version: number; body: string | null } | null | undefined) => {
      if (!row || row.body === null) return false;
      const body = await versions.open(address, row);
      // A value that cannot be read is counted as held: never a false "free".
      if (!body.ok) return true;
      return this.parts.indexing.hashIn(address, gen, JSON.parse(body.value) as JsonValue) === hash;
    };
    const stagedBy = hold && (await has(hold.staged)) ? hold.transaction : null;
    return { claiming, live: await has(live), stagedBy };
  }
}
