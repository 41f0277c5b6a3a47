// How an entity keeps its type's indexes up to date. It knows the type's index generations (told
// by its registry shard when it registers, and by every build: see index-build.ts), and inside
// each commit it writes to the outbox, per generation, where its entry lives after the commit (the
// shard of its key hash, or none) and where it lived before, so the old shard drops it. Delivery
// folds a topic's rows into the last state, reads that version's sealed value from the entity's
// own rows, and sends it to each shard concerned; shards apply by rank, so repeats are harmless.
import { getConfig } from "../config";
import type { Clock } from "../core/clock";
import { decodeBase64Url, encodeBase64Url } from "../core/encoding";
import type { EntityAddress } from "../core/entity/contract";
import { type CatalogSnapshot, type EntryChange, type Generation, rankOf } from "../core/indexes/contract";
import { isUnique } from "../core/indexes/definition";
import { keyMessage, shardOfHash } from "../core/indexes/key-message";
import { project } from "../core/indexes/projection";
import { encodeScalar } from "../core/indexes/scalar";
import type { JsonValue } from "../core/json/json-value";
import { blindHash } from "../crypto/blind-index";
import type { EntityStore } from "./entity-store";
import { catalogStub, shardStub } from "./names";
import type { Outbox, OutboxRow } from "./shell/outbox";

interface Knowledge {
  epoch: number;
  gens: Generation[];
  /** Per joined generation: the shard holding the entity's entry, or null (in none). */
  placed: Record<string, number | null>;
}

/** The entity after a commit, as its indexes see it: a live document (plaintext), or none. */
export type IndexedState =
  | { version: number; at: number; expiresAt: number | null; body: string }
  | { version: number; removed: true };

/** What a commit of `next` is to the indexes. */
export function indexedStateOf(next: {
  version: number;
  at: number;
  expiresAt: number | null;
  body: string | null;
}): IndexedState {
  const { version, at, expiresAt, body } = next;
  return body === null ? { version, removed: true } : { version, at, expiresAt, body };
}

/** One outbox row: the entity's entry in one generation after one commit. */
interface IndexMessage {
  v: number;
  rank: number;
  /** The shard holding the entry now; null: in none. */
  s: number | null;
  /** Key hash and encoded sort value (base64url), with the entry. */
  k?: string;
  o?: string;
  at?: number;
  x?: number | null;
  /** Shards that held the entry before this commit, to drop it. */
  r: number[];
}

const KEY = "indexes";
export const topicOf = (gen: string) => `index/${gen}`;

const REFRESH_MS = 2_000;

export class EntityIndexing {
  private known: Knowledge | undefined;
  private dirty = false;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly store: EntityStore,
    private readonly outbox: Outbox,
    private readonly address: () => EntityAddress | undefined,
    private readonly clock: Clock,
  ) {}

  /** When the catalog was last asked (`refresh`): at most once per REFRESH_MS per object. */
  private refreshedAt = Number.NEGATIVE_INFINITY;

  /**
   * Asks the type's catalog for its generations and learns them. Only a refusal that knowledge
   * gone stale could cause calls this (a value of a unique index since dropped; a generation
   * hashing under a key since removed, its rebuild done), so the catalog stays off the write path.
   * True when it taught something newer.
   */
  async refresh(address: EntityAddress): Promise<boolean> {
    const now = this.clock.now();
    if (now - this.refreshedAt < REFRESH_MS) return false;
    this.refreshedAt = now;
    const before = this.knowledge().epoch;
    try {
      this.learn(await catalogStub(this.env, address).snapshot());
    } catch (e) {
      console.error(JSON.stringify({ event: "index_catalog_unreachable", cause: String(e) }));
      return false;
    }
    return this.knowledge().epoch > before;
  }

  /**
   * A newer snapshot replaces what is known, stored at once: an entity told of a generation when
   * it registered must remember it even if its first write then stores nothing.
   */
  learn(snapshot: CatalogSnapshot | null): void {
    const known = this.knowledge();
    if (!snapshot || snapshot.epoch <= known.epoch) return;
    const placed: Knowledge["placed"] = {};
    for (const gen of snapshot.gens) if (gen.gen in known.placed) placed[gen.gen] = known.placed[gen.gen]!;
    for (const gen of known.gens) if (!(gen.gen in placed)) this.outbox.dropTopic(topicOf(gen.gen));
    this.known = { epoch: snapshot.epoch, gens: snapshot.gens, placed };
    this.dirty = true;
    this.save();
  }

  /** Generations known but not yet given this entity's state. */
  unjoined(): Generation[] {
    const known = this.knowledge();
    return known.gens.filter((g) => !(g.gen in known.placed));
  }

  /** A generation whose hash key is not in the ring: no write can be indexed there. */
  missingKey(): Generation | undefined {
    const ring = getConfig(this.env).ring;
    return this.knowledge().gens.find((g) => !ring?.keys.has(g.keyId));
  }

  /** Outbox rows still owed to the generations of `snapshot`. */
  pending(snapshot: CatalogSnapshot): number {
    return snapshot.gens.reduce((n, g) => n + this.outbox.pending(topicOf(g.gen)), 0);
  }

  /**
   * Inside a commit: the entity's entry in every known generation (or in `only`) after it. Key
   * values are hashed here, synchronously, so the rows and the commit are one transaction.
   */
  record(address: EntityAddress, state: IndexedState, only?: Generation[]): void {
    const known = this.knowledge();
    const gens = only ?? known.gens;
    if (gens.length > 0) {
      const doc = "body" in state ? (JSON.parse(state.body) as JsonValue) : null;
      for (const gen of gens) this.recordIn(address, gen, doc, state, known);
    }
    this.save();
  }

  /** Writes what was learned (alone it is one atomic write). */
  save(): void {
    if (!this.dirty) return;
    this.storage.kv.put(KEY, this.known);
    this.dirty = false;
  }

  /** After a failed commit, memory may be ahead of storage: read it again. */
  reload(): void {
    this.known = undefined;
    this.dirty = false;
  }

  /** The unique generations this entity knows, to claim its key values in. */
  uniqueGens(): Generation[] {
    return this.knowledge().gens.filter(isUnique);
  }

  /** The key hash (base64url) of a document in `gen`, or null when the document is not in it. */
  hashIn(address: EntityAddress, gen: Generation, doc: JsonValue): string | null {
    const projection = project(doc, gen);
    if (!projection) return null;
    const ring = getConfig(this.env).ring;
    const hash = ring && blindHash(ring, gen.keyId, address.tenant, keyMessage(gen.gen, projection.keys));
    if (!hash) throw new Error(`index ${gen.index}: ring key "${gen.keyId}" is not in ENCRYPTION_KEYS`);
    return encodeBase64Url(hash);
  }

  /** Delivers one generation's rows (the outbox's transport for `index/<gen>` topics). */
  async deliver(topic: string, rows: OutboxRow[]): Promise<"delivered" | "gone"> {
    const gen = this.knowledge().gens.find((g) => topicOf(g.gen) === topic);
    if (!gen) return "gone";
    // Rows are written by commits, which store the identity: without it, wait rather than drop them.
    const address = this.address();
    if (!address) throw new Error("the entity's identity is not readable yet");
    const messages = rows.map((r) => JSON.parse(r.message) as IndexMessage);
    const last = messages[messages.length - 1]!;
    const touched = new Set<number>();
    for (const m of messages) {
      for (const shard of m.r) touched.add(shard);
      if (m.s !== null) touched.add(m.s);
    }
    // The version's sealed value as the entity holds it now; gone means a later commit deleted it,
    // and that commit's own row follows: until then the entry is simply absent.
    const body = last.s === null ? null : (this.store.version(last.v)?.body ?? null);
    const home = body === null ? null : last.s;
    const changeFor = (shard: number): EntryChange => ({
      id: address.id,
      rank: shard === home ? last.rank : rankOf(last.v, true),
      entry:
        shard === home && body !== null
          ? {
              keyHash: decodeBase64Url(last.k!)!,
              sort: decodeBase64Url(last.o!)!,
              version: last.v,
              updatedAt: last.at!,
              expiresAt: last.x ?? null,
              body,
            }
          : null,
    });
    const outcomes = await Promise.all(
      [...touched].map((shard) =>
        shardStub(this.env, {
          tenant: address.tenant,
          type: address.type,
          index: gen.index,
          gen: gen.gen,
          shard,
        }).apply([changeFor(shard)]),
      ),
    );
    if (!outcomes.includes("retired")) return "delivered";
    this.forget(gen.gen);
    return "gone";
  }

  private recordIn(
    address: EntityAddress,
    gen: Generation,
    doc: JsonValue | null,
    state: IndexedState,
    known: Knowledge,
  ): void {
    const projection = doc === null ? null : project(doc, gen);
    let entry: (Pick<IndexMessage, "k" | "o"> & { s: number }) | null = null;
    if (projection) {
      const ring = getConfig(this.env).ring;
      const hash = ring && blindHash(ring, gen.keyId, address.tenant, keyMessage(gen.gen, projection.keys));
      if (!hash) throw new Error(`index ${gen.index}: ring key "${gen.keyId}" is not in ENCRYPTION_KEYS`);
      const sort = projection.sort === undefined ? new Uint8Array() : encodeScalar(projection.sort);
      entry = { s: shardOfHash(hash, gen.shards), k: encodeBase64Url(hash), o: encodeBase64Url(sort) };
    }
    const before = known.placed[gen.gen] ?? null;
    const after = entry?.s ?? null;
    if (known.placed[gen.gen] !== after || !(gen.gen in known.placed)) {
      known.placed[gen.gen] = after;
      this.dirty = true;
    }
    // Never in this generation and still not: nothing to tell it.
    if (before === null && after === null) return;
    const message: IndexMessage = {
      v: state.version,
      rank: rankOf(state.version, entry === null),
      s: after,
      r: before !== null && before !== after ? [before] : [],
      ...(entry && "body" in state ? { k: entry.k, o: entry.o, at: state.at, x: state.expiresAt } : {}),
    };
    this.outbox.add(topicOf(gen.gen), JSON.stringify(message));
  }

  /** A shard said the generation was dropped or replaced: stop delivering to it. */
  private forget(gen: string): void {
    const known = this.knowledge();
    known.gens = known.gens.filter((g) => g.gen !== gen);
    delete known.placed[gen];
    this.dirty = true;
    this.save();
  }

  private knowledge(): Knowledge {
    this.known ??= this.storage.kv.get<Knowledge>(KEY) ?? { epoch: 0, gens: [], placed: {} };
    return this.known;
  }
}
