// One execution as its object holds it in memory — definition, snapshot, task-token signer, the
// `.waitForTaskToken` calls that went through — with its clock, and the sealing of what it stores.
//
// The execution's clock is monotonic: max(the object's clock, the latest time it used, the time
// the alarm being handled was set for). An alarm never fires early in production; when a test runs
// one early (runDurableObjectAlarm), the execution sees the time it was set for, so retries and
// waits are tested without sleeping.
import { writeExecution } from "../cache/machine-index";
import type { Clock } from "../core/clock";
import { ok, type Result } from "../core/result";
import type { ExecutionAddress, HistoryPage, HistoryQuery } from "../executions/contract";
import { toApiEvent } from "../executions/describe";
import { type TaskTokenSigner, taskTokenSigner } from "../executions/task-token";
import {
  type ExecutionSnapshot,
  type HistoryEvent,
  type InvokeTaskEffect,
  nextWakeAt,
  pendingTasks,
  type StateMachineDefinition,
} from "../machine/engine.ts";
import type { ExecutionStore, SealedBatch } from "./execution-store";
import { PAGE_SEALED_CHARS } from "./shell/page-budget";
import { type Place, placeOf, type SealedValues } from "./shell/sealed-values";

export interface Loaded {
  definitionText: string;
  definition: StateMachineDefinition;
  snapshot: ExecutionSnapshot;
  signer: TaskTokenSigner | null;
  /** `.waitForTaskToken` tasks whose call went through: they wait for a callback, never re-called. */
  called: Set<string>;
}

/** Where an execution's values are sealed (the kinds and versions its data was always sealed with). */
export const executionPlace = (a: ExecutionAddress): Place =>
  placeOf(a.tenant, `${a.machine}/${a.execution}`);
export const SNAPSHOT = ["execution", "snapshot"] as const;
export const DEFINITION = ["execution", "definition"] as const;
export const HISTORY_KIND = "execution-history";

export class ExecutionState {
  current: Loaded | undefined;
  private floor = 0;

  constructor(
    private readonly env: Env,
    private readonly store: ExecutionStore,
    private readonly sealed: SealedValues,
    private readonly clock: Clock,
  ) {}

  now(): number {
    this.floor = Math.max(this.clock.now(), this.floor);
    return this.floor;
  }

  /** The earliest deadline the execution keeps (a wait, a retry, a timeout). */
  nextWakeAt(): number | null {
    return this.current ? nextWakeAt(this.current.snapshot) : null;
  }

  /** The tasks the execution waits on. */
  waiting(): InvokeTaskEffect[] {
    return this.current ? pendingTasks(this.current.snapshot) : [];
  }

  /** The alarm that is running was set for `at`: the execution's time is at least that. */
  raiseFloor(at: number | undefined): void {
    if (at !== undefined) this.floor = Math.max(this.floor, at);
  }

  /** What running a definition takes besides a snapshot: the parsed definition and the token signer. */
  async prepare(definitionText: string): Promise<Omit<Loaded, "snapshot">> {
    const definition = JSON.parse(definitionText) as StateMachineDefinition;
    return { definitionText, definition, signer: await taskTokenSigner(this.env), called: new Set() };
  }

  /** The execution in memory, reading and opening it after a (re)start. Call inside the queue. */
  async load(address: ExecutionAddress | undefined): Promise<Result<Loaded | null>> {
    if (this.current) return ok(this.current);
    const definitionSealed = this.store.sealed("definition");
    if (!address || definitionSealed === undefined) return ok(null);
    const place = executionPlace(address);
    const definitionText = await this.sealed.open(definitionSealed, place(...DEFINITION));
    if (!definitionText.ok) return definitionText;
    const snapshot = await this.sealed.open(this.store.sealed("snapshot") ?? "", place(...SNAPSHOT));
    if (!snapshot.ok) return snapshot;
    this.floor = Math.max(this.floor, this.store.clockFloor());
    const loaded = {
      ...(await this.prepare(definitionText.value)),
      snapshot: JSON.parse(snapshot.value) as ExecutionSnapshot,
    };
    for (const id of this.store.called()) loaded.called.add(id);
    this.current = loaded;
    return ok(loaded);
  }

  /** Seals one batch of the interpreter: the snapshot, its new events (and at start, the definition). */
  async seal(
    address: ExecutionAddress,
    loaded: Loaded,
    snapshot: ExecutionSnapshot,
    events: HistoryEvent[],
    first = false,
  ): Promise<SealedBatch> {
    const place = executionPlace(address);
    const [sealedSnapshot, definition, ...sealedEvents] = await Promise.all([
      this.sealed.seal(JSON.stringify(snapshot), place(...SNAPSHOT)),
      first ? this.sealed.seal(loaded.definitionText, place(...DEFINITION)) : Promise.resolve(undefined),
      ...events.map((e) => this.sealed.seal(JSON.stringify(e), place(HISTORY_KIND, e.id))),
    ]);
    return {
      snapshot: sealedSnapshot,
      events: events.map((e, i) => ({ id: e.id, type: e.type, body: sealedEvents[i]! })),
      called: [...loaded.called],
      clock: this.floor,
      ...(definition === undefined ? {} : { definition }),
    };
  }

  /**
   * A page of history, opened event by event. It is cut at `maxChars` of sealed text too: a page
   * goes back over RPC as one value, limited to 32 MiB, and 1,000 events may each hold 256 KiB.
   */
  async history(
    address: ExecutionAddress,
    page: HistoryQuery,
    maxChars = PAGE_SEALED_CHARS,
  ): Promise<Result<HistoryPage>> {
    const place = executionPlace(address);
    const { rows, more } = this.store.page(page.after, page.limit, page.reverse ?? false, maxChars);
    const events = [];
    for (const row of rows) {
      const text = await this.sealed.open(row.body, place(HISTORY_KIND, row.id));
      if (!text.ok) return text;
      events.push(toApiEvent(JSON.parse(text.value) as HistoryEvent));
    }
    return ok({ events, cursor: more ? String(events[events.length - 1]!.id) : null });
  }

  /** The execution's KV index keys (status in their metadata), for listings. */
  async writeIndex(address: ExecutionAddress | undefined): Promise<void> {
    const loaded = this.current;
    if (!loaded || !address) return;
    const { snapshot } = loaded;
    const startedAt = snapshot.execution.startedAt;
    const redrives = snapshot.redrives ?? [];
    const meta = {
      s: snapshot.status,
      t: startedAt,
      e: snapshot.stoppedAt ?? null,
      v: snapshot.execution.machineVersion,
      ...(redrives.length > 0 ? { r: redrives.length, d: redrives[redrives.length - 1]! } : {}),
    };
    await writeExecution(this.env.CACHE, address, startedAt, meta);
  }
}
