import { DurableObject } from "cloudflare:workers";
import { deleteMachine, writeMachine } from "../cache/machine-index";
import { getConfig } from "../config";
import { fail, ok, type Result } from "../core/result";
import { SealError } from "../crypto/sealer";
import { IndexSync } from "./index-sync";
import { MachineStore, type VersionRow } from "./machine-store";
import { SerialQueue } from "./serial-queue";

export interface PutOutcome {
  version: number;
  createdAt: number;
  /** The machine did not exist (first version, or first after a delete): 201. */
  created: boolean;
  /** The definition equals the latest version's: no new version was made. */
  unchanged: boolean;
}

export interface MachineVersion {
  version: number;
  createdAt: number;
  /** Canonical JSON text of the definition. */
  definition: string;
  latestVersion: number;
  /** Newest first, at most LISTED_VERSIONS. */
  versions: { version: number; createdAt: number }[];
}

/**
 * One state machine (tenant/machine): the source of truth for its definition versions. Versions
 * are immutable, so the Worker caches them per isolate and only asks here for the latest version
 * (at most every couple of seconds per isolate). Executions are NOT indexed here: each
 * ExecutionObject writes its own KV index key, so no start ever waits on this object.
 */
export class MachineObject extends DurableObject<Env> {
  private readonly store: MachineStore;
  private readonly writes = new SerialQueue();
  private readonly index: IndexSync;
  private tenantName: { tenant: string; machine: string } | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new MachineStore(ctx.storage);
    this.index = new IndexSync(ctx.storage, () => this.writeIndex());
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  put(tenant: string, machine: string, definition: string): Promise<Result<PutOutcome>> {
    return this.writes.run(async () => {
      const sealer = getConfig(this.env).sealer;
      if (!sealer) return fail("unavailable", getConfig(this.env).problems.join("; "));
      this.remember(tenant, machine);
      const latest = this.store.latest();
      if (latest) {
        const current = await this.open(tenant, machine, latest);
        if (!current.ok) return current;
        if (current.value === definition) {
          return ok({
            version: latest.version,
            createdAt: latest.created_at,
            created: false,
            unchanged: true,
          });
        }
      }
      const now = Date.now();
      const version = this.store.nextVersion();
      const sealed = await sealer.seal(definition, {
        tenant,
        kind: "machine-definition",
        name: machine,
        version,
      });
      this.ctx.storage.transactionSync(() => {
        this.store.insert({ version, created_at: now, definition: sealed });
        this.index.markDue(now);
      });
      await this.afterCommit();
      return ok({ version, createdAt: now, created: latest === null, unchanged: false });
    });
  }

  async get(tenant: string, machine: string, version?: number): Promise<Result<MachineVersion>> {
    const latest = this.store.latest();
    if (!latest) return fail("not_found", `no state machine named "${machine}"`);
    const row = version === undefined ? latest : this.store.version(version);
    if (!row) return fail("not_found", `state machine "${machine}" has no version ${version}`);
    const definition = await this.open(tenant, machine, row);
    if (!definition.ok) return definition;
    return ok({
      version: row.version,
      createdAt: row.created_at,
      definition: definition.value,
      latestVersion: latest.version,
      versions: this.store.versions().map((v) => ({ version: v.version, createdAt: v.created_at })),
    });
  }

  /** The latest version number only: what the Worker's short-lived pointer cache refreshes from. */
  latestVersion(): number | null {
    return this.store.latest()?.version ?? null;
  }

  remove(tenant: string, machine: string): Promise<Result<null>> {
    return this.writes.run(async () => {
      if (!this.store.latest()) return fail("not_found", `no state machine named "${machine}"`);
      this.remember(tenant, machine);
      this.ctx.storage.transactionSync(() => {
        this.store.deleteAll();
        this.index.markDue(Date.now());
      });
      await this.afterCommit();
      return ok(null);
    });
  }

  override async alarm(): Promise<void> {
    await this.writes.run(() => this.afterCommit());
  }

  private async afterCommit(): Promise<void> {
    await this.index.flush(Date.now());
    const due = this.index.dueAt();
    if (due === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(due);
  }

  private async writeIndex(): Promise<void> {
    const names = this.tenantName ?? this.ctx.storage.kv.get<{ tenant: string; machine: string }>("name");
    if (!names) return;
    const latest = this.store.latest();
    if (!latest) return deleteMachine(this.env.CACHE, names.tenant, names.machine);
    await writeMachine(this.env.CACHE, names.tenant, names.machine, {
      v: latest.version,
      c: this.store.firstCreatedAt() ?? latest.created_at,
      u: latest.created_at,
    });
  }

  private remember(tenant: string, machine: string): void {
    if (this.tenantName) return;
    this.tenantName = { tenant, machine };
    this.ctx.storage.kv.put("name", this.tenantName);
  }

  private async open(tenant: string, machine: string, row: VersionRow): Promise<Result<string>> {
    const sealer = getConfig(this.env).sealer;
    if (!sealer) return fail("unavailable", getConfig(this.env).problems.join("; "));
    try {
      return ok(
        await sealer.open(row.definition, {
          tenant,
          kind: "machine-definition",
          name: machine,
          version: row.version,
        }),
      );
    } catch (e) {
      if (e instanceof SealError) return fail(e.reason, e.message);
      throw e;
    }
  }
}
