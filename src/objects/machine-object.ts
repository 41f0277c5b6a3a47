import { deleteMachine, writeMachine } from "../cache/machine-index";
import type { Keyed, Reply } from "../core/idempotency";
import type {
  MachineAddress,
  MachineApi,
  MachineVersion,
  PutMachineRequest,
  PutOutcome,
  VersionPage,
  VersionSpan,
} from "../core/machines/contract";
import { decidePut, type Latest } from "../core/machines/decide";
import { fail, ok, type Result } from "../core/result";
import { MachineStore, type VersionRow } from "./machine-store";
import { registerObject } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { PacedKvWriter } from "./shell/paced-kv-writer";
import { type Place, placeOf } from "./shell/sealed-values";
import { resealEach } from "./shell/stale-rows";

const noSuchMachine = (machine: string) => fail("not_found", `no state machine named "${machine}"`);

/**
 * One state machine (tenant/machine): the source of truth for its definition versions. Versions
 * are immutable, so the Worker caches them per isolate and only asks here which versions exist
 * (at most every couple of seconds per isolate and machine). Executions are NOT indexed here: each
 * ExecutionObject writes its own KV index key, so no start ever waits on this object.
 */
export class MachineObject extends ObjectShell<MachineAddress> implements MachineApi {
  private readonly store: MachineStore;
  private readonly index: PacedKvWriter;
  protected readonly identity: IdentityRecord<MachineAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new MachineStore(ctx.storage);
    this.identity = new IdentityRecord<MachineAddress>(
      ctx.storage,
      this.time,
      (a) => registerObject(env, a.tenant, { kind: "machine", name: a.machine }),
      // Before identities, the names were stored under "name".
      () => ctx.storage.kv.get<MachineAddress>("name"),
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "machine-idempotency");
    this.index = new PacedKvWriter(
      ctx.storage,
      "index",
      () => this.writeIndex(),
      this.time,
      () => this.alarms.rearm(),
    );
    this.alarms = new AlarmPlan(ctx.storage, [this.index, this.ledger, this.identity]);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  put(address: MachineAddress, request: PutMachineRequest): Promise<Reply<PutOutcome>> {
    return this.write(
      address,
      request,
      () => this.decidePut(address, request),
      () => noSuchMachine(address.machine),
    );
  }

  async get(address: MachineAddress, version?: number): Promise<Result<MachineVersion>> {
    const latest = this.store.latest();
    if (!latest) return noSuchMachine(address.machine);
    const row = version === undefined ? latest : this.store.version(version);
    if (!row) return fail("not_found", `state machine "${address.machine}" has no version ${version}`);
    const definition = await this.open(address, row);
    if (!definition.ok) return definition;
    return ok({
      version: row.version,
      createdAt: row.created_at,
      definition: definition.value,
      latestVersion: latest.version,
      firstVersion: this.store.firstVersion() ?? latest.version,
      versions: this.store.versions().map((v) => ({ version: v.version, createdAt: v.created_at })),
      settings: this.store.settings(),
      machineCreatedAt: this.store.firstCreatedAt() ?? latest.created_at,
    });
  }

  async versionPage(page: { limit: number; before?: number }): Promise<Result<VersionPage>> {
    if (!this.store.latest()) return fail("not_found", "no such state machine");
    const rows = this.store.versionsBefore(page.before ?? Number.MAX_SAFE_INTEGER, page.limit + 1);
    const versions = rows.slice(0, page.limit).map((v) => ({ version: v.version, createdAt: v.created_at }));
    return ok({ versions, more: rows.length > page.limit });
  }

  /** Which versions exist, without opening one: what the Worker's short-lived span cache refreshes from. */
  async versionSpan(): Promise<VersionSpan | null> {
    const latest = this.store.latest();
    if (!latest) return null;
    return { first: this.store.firstVersion() ?? latest.version, latest: latest.version };
  }

  remove(address: MachineAddress, request: Keyed): Promise<Reply<null>> {
    return this.write(
      address,
      request,
      (): Decision<null> => {
        if (!this.store.latest()) return { outcome: noSuchMachine(address.machine) };
        return {
          outcome: ok(null),
          persist: () => {
            this.store.deleteAll();
            this.index.markDue(this.clock.now());
          },
          after: () => this.index.flush(),
        };
      },
      () => ok(null),
    );
  }

  private async decidePut(
    address: MachineAddress,
    request: PutMachineRequest,
  ): Promise<Decision<PutOutcome>> {
    const row = this.store.latest();
    let latest: Latest | null = null;
    if (row) {
      const current = await this.open(address, row);
      if (!current.ok) return { outcome: current };
      latest = { version: row.version, createdAt: row.created_at, definition: current.value };
    }
    const now = this.clock.now();
    const settings = this.store.settings();
    const decided = decidePut(address.machine, latest, settings, request, now, this.store.nextVersion());
    if (!decided.ok) return { outcome: decided };
    const { outcome, version, settings: changed } = decided.value;
    if (!version && !changed) return { outcome: ok(outcome) };
    const sealed = version
      ? await this.sealed.seal(
          version.definition,
          this.placeOf(address)("machine-definition", version.number),
        )
      : undefined;
    return {
      outcome: ok(outcome),
      persist: () => {
        if (version && sealed)
          this.store.insert({ version: version.number, created_at: now, definition: sealed });
        if (changed) this.store.putSettings(changed);
        this.index.markDue(now);
      },
      // The KV listing follows at once when KV's pace allows, else from the alarm.
      after: () => this.index.flush(),
    };
  }

  protected async onAlarm(): Promise<void> {
    await this.index.flush();
  }

  protected placeOf(address: MachineAddress): Place {
    return placeOf(address.tenant, address.machine);
  }

  protected label(address: MachineAddress): string {
    return `machine ${address.machine}`;
  }

  protected sealedSets(): SealedSet[] {
    const definitions: SealedSet = (place, primary, limit) =>
      resealEach(this.sealed, this.store.versionsNotUnder(primary, limit), {
        value: (row) => row.definition,
        context: (row) => place("machine-definition", row.version),
        name: (row) => `version ${row.version}`,
        replace: (row, value) => this.store.replaceDefinition(row.version, value),
      });
    return [definitions, (place, primary, limit) => this.ledger.reseal(place, primary, limit)];
  }

  private async writeIndex(): Promise<void> {
    const address = this.identity.get()?.address;
    if (!address) return;
    const latest = this.store.latest();
    if (!latest) return deleteMachine(this.env.CACHE, address.tenant, address.machine);
    const express = this.store.settings().type === "EXPRESS";
    await writeMachine(this.env.CACHE, address.tenant, address.machine, {
      v: latest.version,
      c: this.store.firstCreatedAt() ?? latest.created_at,
      u: latest.created_at,
      ...(express ? { y: "EXPRESS" as const } : {}),
    });
  }

  private open(address: MachineAddress, row: VersionRow): Promise<Result<string>> {
    return this.sealed.open(row.definition, this.placeOf(address)("machine-definition", row.version));
  }
}
