// What an entity's writes store, decided and sealed before the commit: from the live document and
// a command to the new version (core/entity/decide.ts), and the one set of writes that stores a
// version. A single write uses both at once; a transaction stages the version in phase one and
// stores it with the same writes when it commits, so both reach history, KV, indexes and watchers
// the same way.

import { getConfig } from "../config";
import type { EntityAddress, EntityState, HistoryPage, WriteResult } from "../core/entity/contract";
import {
  decideWrite,
  type LiveDocument,
  type NewVersion,
  nextVersion,
  type WriteCommand,
} from "../core/entity/decide";
import type { Admit } from "../core/indexes/unique";
import { fail, ok, type Result } from "../core/result";
import type { OperationCommand, SnapshotRead } from "../core/transactions/contract";
import { decideStage } from "../core/transactions/stage";
import type { Announcement } from "../core/watch/contract";
import { entityVersion } from "../core/watch/messages";
import { type EntityCopies, listingChanges } from "./entity-copies";
import type { StagedVersion } from "./entity-holds";
import type { EntityIndexing, IndexedState } from "./entity-indexing";
import type { Staging, Storing } from "./entity-participant";
import type { EntityStore, VersionRow } from "./entity-store";
import { NewestPlaintext } from "./newest-plaintext";
import type { IdempotencyLedger } from "./shell/idempotency-ledger";
import type { Decision } from "./shell/object-shell";
import { takePage } from "./shell/page-budget";
import type { Place, SealedValues } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";

export interface Loaded {
  live: LiveDocument | null;
  /** The number a new version takes. */
  version: number;
}

/** The entity object's parts a version's writes and reads go through. */
export interface VersionParts {
  store: EntityStore;
  ledger: IdempotencyLedger;
  copies: EntityCopies;
  indexing: EntityIndexing;
  sealed: SealedValues;
  place: (address: EntityAddress) => Place;
}

/** A retry whose first reply showed a document that has since been deleted or has expired. */
export const gone = () =>
  fail(
    "not_found",
    "this Idempotency-Key's write was applied, but the entity has since been deleted or has expired, " +
      "and the reply that showed it is no longer kept",
  );

export class EntityVersions {
  private readonly store: EntityStore;
  /** The newest version in plaintext, kept in memory (newest-plaintext.ts). */
  private readonly plaintext: NewestPlaintext;

  constructor(
    private readonly env: Env,
    private readonly parts: VersionParts,
  ) {
    this.store = parts.store;
    this.plaintext = new NewestPlaintext(
      () => parts.store.latest()?.version ?? null,
      () => parts.sealed.ring(),
    );
  }

  /** Storage may hold other than what was remembered (a rolled-back commit): read it again. */
  forget(): void {
    this.store.forget();
    this.plaintext.forget();
  }

  /**
   * A single write: decided and sealed, with the writes that store it. `admit` sees the new
   * document (JSON text, null for a delete) before anything is stored and may still refuse it.
   */
  async decide(
    address: EntityAddress,
    command: WriteCommand,
    now: number,
    admit: Admit,
  ): Promise<Decision<WriteResult>> {
    const loaded = await this.load(address, command.op === "patch", now);
    if (!loaded.ok) return { outcome: loaded };
    const decided = decideWrite(loaded.value.live, loaded.value.version, command, now, this.limits());
    if (!decided.version) return { outcome: decided.outcome };
    const admitted = decided.outcome.ok ? await admit(decided.version.body) : decided.outcome;
    // A claim that met an undecided write may succeed when retried: not kept under the key.
    if (!admitted.ok)
      return { outcome: admitted, ...(admitted.retryAfterSeconds ? { unrecorded: true } : {}) };
    const state = decided.outcome.ok ? (decided.outcome.value.state ?? undefined) : undefined;
    const sealed = await this.seal(address, decided.version);
    const storing = this.storing(address, sealed, decided.version.body, state);
    return { outcome: decided.outcome, carriesData: decided.version.body !== null, ...storing };
  }

  /** A transaction's operation: what it would store, by the same decision as a single write's. */
  async stage(
    address: EntityAddress,
    command: OperationCommand,
    now: number,
    admit: Admit,
  ): Promise<Result<Staging>> {
    const loaded = await this.load(address, command.op === "patch", now);
    if (!loaded.ok) return loaded;
    const decided = decideStage(loaded.value.live, loaded.value.version, command, now, this.limits());
    if (!decided.outcome.ok) return decided.outcome;
    const admitted = decided.version ? await admit(decided.version.body) : ok(undefined);
    if (!admitted.ok) return admitted;
    const staged = decided.version ? await this.seal(address, decided.version) : null;
    return ok({ prepared: decided.outcome.value, staged });
  }

  /**
   * The writes that store a new version (its body sealed), for a commit's transaction, what its
   * watchers hear (`plaintext`: the body, null for a delete) and what follows the commit. `known`
   * is the version in plaintext when the caller has it, so the KV copy need not open it again.
   */
  storing(address: EntityAddress, version: StagedVersion, plaintext: string | null, known?: EntityState) {
    const { historyLimit } = getConfig(this.env);
    // Whether a listing sees more than a new version (entity-copies.ts): judged against what lives now.
    const prior = this.store.live(version.at);
    const membership = listingChanges(prior && { expiresAt: prior.expires_at }, version);
    const announce: Announcement = { messages: [entityVersion({ ...version, body: plaintext })] };
    const indexed: IndexedState =
      plaintext === null
        ? { version: version.version, removed: true }
        : { version: version.version, at: version.at, expiresAt: version.expiresAt, body: plaintext };
    return {
      persist: () => {
        // A delete keeps no content: not the kept versions, not the replies that showed them.
        if (version.op === "delete") {
          this.store.removeContents();
          this.parts.ledger.withdraw();
        }
        this.store.insert({ ...version, expires_at: version.expiresAt }, historyLimit);
        this.plaintext.keep(version.version, plaintext);
        this.parts.indexing.record(address, indexed);
      },
      announce,
      after: () => this.parts.copies.committed(address, membership, known),
    };
  }

  /** The writes of a version a transaction staged, its body opened first for its watchers and indexes. */
  async storingStaged(address: EntityAddress, version: StagedVersion): Promise<Result<Storing>> {
    if (version.body === null) return ok(this.storing(address, version, null));
    const place = this.parts.place(address)("entity", version.version);
    const plaintext = await this.parts.sealed.open(version.body, place);
    return plaintext.ok ? ok(this.storing(address, version, plaintext.value)) : plaintext;
  }

  /** The entity's current state as its indexes see it (a build joining it to a generation). */
  async indexedState(address: EntityAddress, now: number): Promise<Result<IndexedState>> {
    const live = this.store.live(now);
    if (!live || live.body === null) return ok({ version: this.store.latest()?.version ?? 0, removed: true });
    const body = await this.open(address, live);
    if (!body.ok) return body;
    return ok({ version: live.version, at: live.at, expiresAt: live.expires_at, body: body.value });
  }

  /** A kept version's body in plaintext; the newest one's from memory when it is kept there. */
  open(address: EntityAddress, row: Pick<VersionRow, "version" | "body">): Promise<Result<string>> {
    const place = this.parts.place(address)("entity", row.version);
    return this.plaintext.of(row, () => this.parts.sealed.open(row.body ?? "", place));
  }

  /** A kept version, unless the entity is gone or expired (then none is served). */
  readable(version: number, now: number): VersionRow | null {
    if (!this.store.latest() || this.store.expired(now)) return null;
    return this.store.version(version);
  }

  /** Kept versions, newest first; expired data is never served, history included. */
  async history(
    address: EntityAddress,
    page: { limit: number; before?: number },
    now: number,
  ): Promise<Result<HistoryPage>> {
    if (!this.store.latest() || this.store.expired(now)) return fail("not_found", "no such entity");
    // Cut by size too (shell/page-budget.ts): 100 versions of a 1 MiB document would not cross RPC.
    const { rows, more } = takePage(
      this.store.page(page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1),
      page.limit,
      (row) => row.body?.length ?? 0,
    );
    const items: HistoryPage["items"] = [];
    for (const row of rows) {
      const opened = row.body === null ? null : await this.open(address, row);
      if (opened !== null && !opened.ok) return opened;
      items.push({ version: row.version, op: row.op, at: row.at, body: opened?.value ?? null });
    }
    return ok({ items, cursor: more ? String(items[items.length - 1]!.version) : null });
  }

  /** A transactional read's view of the committed state (transaction-reads.ts); `held` is the caller's. */
  async snapshot(
    address: EntityAddress,
    withBody: boolean,
    now: number,
  ): Promise<Result<Omit<SnapshotRead, "held">>> {
    const live = this.store.live(now);
    const counter = this.store.latest()?.version ?? this.store.purgedVersion();
    const read = { token: `${counter}${live ? "" : "-"}`, version: live?.version ?? null };
    if (!withBody) return ok(read);
    if (!live) return ok({ ...read, body: null });
    const body = await this.open(address, live);
    return body.ok ? ok({ ...read, body: body.value }) : body;
  }

  /** Key rotation: kept versions' bodies re-sealed under `primary`. */
  reseal(place: Place, primary: string, limit: number): Promise<Result<(() => void)[]>> {
    return resealEach(this.parts.sealed, this.store.versionsNotUnder(primary, limit), {
      value: (row) => row.body,
      context: (row) => place("entity", row.version),
      name: (row) => `version ${row.version}`,
      replace: (row, value) => this.store.replaceBody(row.version, value),
    });
  }

  /** The live document (its body only when a patch needs it) and the number a new version takes. */
  private async load(address: EntityAddress, withBody: boolean, now: number): Promise<Result<Loaded>> {
    const { indexing } = this.parts;
    let unhashable = indexing.missingKey();
    if (unhashable && (await indexing.refresh(address))) unhashable = indexing.missingKey();
    if (unhashable) {
      const detail = `index ${unhashable.index} hashes under key "${unhashable.keyId}", which is not in ENCRYPTION_KEYS`;
      return fail("key_unavailable", detail);
    }
    const row = this.store.live(now);
    let live: LiveDocument | null = null;
    if (row) {
      live = { version: row.version, expiresAt: row.expires_at };
      if (withBody) {
        const body = await this.open(address, row);
        if (!body.ok) return body;
        live.body = body.value;
      }
    }
    return ok({
      live,
      version: nextVersion(this.store.latest()?.version ?? null, this.store.purgedVersion()),
    });
  }

  private limits() {
    return { maxBodyBytes: getConfig(this.env).maxBodyBytes };
  }

  private async seal(address: EntityAddress, next: NewVersion): Promise<StagedVersion> {
    if (next.body === null) return { ...next, body: null };
    const place = this.parts.place(address)("entity", next.version);
    return { ...next, body: await this.parts.sealed.seal(next.body, place) };
  }
}
