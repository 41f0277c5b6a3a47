// What an entity's writes store, decided and sealed before the commit: from the live document and
// a command to the new version (core/entity/decide.ts), and the one set of writes that stores a
// version. A single write uses both at once; a transaction stages the version in phase one and
// stores it with the same writes when it commits, so both reach history, KV, indexes and watchers
// the same way.
import { getConfig } from "../config";
import type { EntityAddress, EntityState, WriteResult } from "../core/entity/contract";
import {
  decideWrite,
  type LiveDocument,
  type NewVersion,
  nextVersion,
  type WriteCommand,
} from "../core/entity/decide";
import { ok, type Result } from "../core/result";
import type { OperationCommand } from "../core/transactions/contract";
import { decideStage } from "../core/transactions/stage";
import type { EntityCopies } from "./entity-copies";
import type { StagedVersion } from "./entity-holds";
import type { Staging } from "./entity-participant";
import type { EntityStore, VersionRow } from "./entity-store";
import type { IdempotencyLedger } from "./shell/idempotency-ledger";
import type { Decision } from "./shell/object-shell";
import type { Place, SealedValues } from "./shell/sealed-values";

export interface Loaded {
  live: LiveDocument | null;
  /** The number a new version takes. */
  version: number;
}

export class EntityVersions {
  constructor(
    private readonly env: Env,
    private readonly store: EntityStore,
    private readonly ledger: IdempotencyLedger,
    private readonly copies: EntityCopies,
    private readonly sealed: SealedValues,
    private readonly place: (address: EntityAddress) => Place,
    private readonly open: (address: EntityAddress, row: VersionRow) => Promise<Result<string>>,
  ) {}

  /** A single write: decided and sealed, with the writes that store it. */
  async decide(address: EntityAddress, command: WriteCommand, now: number): Promise<Decision<WriteResult>> {
    const loaded = await this.load(address, command.op === "patch", now);
    if (!loaded.ok) return { outcome: loaded };
    const decided = decideWrite(loaded.value.live, loaded.value.version, command, now, this.limits());
    if (!decided.version) return { outcome: decided.outcome };
    const state = decided.outcome.ok ? (decided.outcome.value.state ?? undefined) : undefined;
    const storing = this.storing(address, await this.seal(address, decided.version), state);
    return { outcome: decided.outcome, carriesData: decided.version.body !== null, ...storing };
  }

  /** A transaction's operation: what it would store, by the same decision as a single write's. */
  async stage(address: EntityAddress, command: OperationCommand, now: number): Promise<Result<Staging>> {
    const loaded = await this.load(address, command.op === "patch", now);
    if (!loaded.ok) return loaded;
    const decided = decideStage(loaded.value.live, loaded.value.version, command, now, this.limits());
    if (!decided.outcome.ok) return decided.outcome;
    const staged = decided.version ? await this.seal(address, decided.version) : null;
    return ok({ prepared: decided.outcome.value, staged });
  }

  /**
   * The writes that store a new version (its body sealed), for a commit's transaction, and what
   * follows the commit. `known` is the version in plaintext when the caller has it, so the KV copy
   * need not open it again.
   */
  storing(address: EntityAddress, version: StagedVersion, known?: EntityState) {
    const { historyLimit } = getConfig(this.env);
    return {
      persist: () => {
        // A delete keeps no content: not the kept versions, not the replies that showed them.
        if (version.op === "delete") {
          this.store.removeContents();
          this.ledger.withdraw();
        }
        this.store.insert({ ...version, expires_at: version.expiresAt }, historyLimit);
      },
      after: () => this.copies.soon(address, known),
    };
  }

  /** The live document (its body only when a patch needs it) and the number a new version takes. */
  private async load(address: EntityAddress, withBody: boolean, now: number): Promise<Result<Loaded>> {
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
    return { ...next, body: await this.sealed.seal(next.body, this.place(address)("entity", next.version)) };
  }
}
