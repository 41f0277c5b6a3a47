import type { Reply } from "../core/idempotency";
import { fail, ok, type Result } from "../core/result";
import type { WatchStart } from "../core/watch/contract";
import {
  type CallbackRequest,
  type DiagramData,
  type ExecutionAddress,
  type ExecutionApi,
  type ExecutionDescription,
  type HistoryPage,
  type HistoryQuery,
  NO_WAITING_TASK,
  type RedriveOutcome,
  type RedriveRequest,
  type StartOutcome,
  type StartRequest,
  type StopRequest,
  type WaitingTask,
} from "../executions/contract";
import { diagramOf, waitingTasksOf } from "../executions/describe";
import { runTask } from "../executions/run-task";
import {
  type ExecutionInput,
  type InvokeTaskEffect,
  pendingTasks,
  type StepResult,
} from "../machine/engine.ts";
import { resealExecution } from "./execution-reseal";
import { ExecutionState, executionPlace, type Loaded } from "./execution-state";
import { answerInput, ExecutionSteps, stopInput } from "./execution-steps";
import { ExecutionStore } from "./execution-store";
import { ExecutionTasks, taskContext } from "./execution-tasks";
import { executionWatchStart } from "./execution-watch";
import { keyWatchers, registerObject } from "./names";
import { AlarmPlan } from "./shell/alarm-plan";
import { IdempotencyLedger } from "./shell/idempotency-ledger";
import { IdentityRecord } from "./shell/identity";
import { type Decision, ObjectShell, type SealedSet } from "./shell/object-shell";
import { PacedKvWriter } from "./shell/paced-kv-writer";
import type { Place } from "./shell/sealed-values";
import { WatchHub } from "./shell/watch-hub";

const noSuchExecution = () => fail("not_found", "no such execution");
const notWaiting = () => fail("not_found", NO_WAITING_TASK);

/**
 * One execution (tenant/machine/execution). It runs the pure interpreter (`step`), persists each
 * batch — the snapshot and the new history events — in one storage transaction, then performs the
 * effects the interpreter returned (execution-tasks.ts). Timers (Wait, retry backoff, task and
 * heartbeat timeouts, the execution timeout) are the alarm plan's deadline `nextWakeAt(snapshot)`;
 * work is started from alarms too (`now + 1`), so a start reply returns at once and every call out
 * is awaited inside an alarm handler, which the platform re-runs if the object dies.
 *
 * Mutations go through the shell's queue: sealing and KV are non-storage awaits that open the
 * input gate. Task calls run outside the queue, so a slow call never holds up callbacks or stop.
 */
export class ExecutionObject extends ObjectShell<ExecutionAddress> implements ExecutionApi {
  private readonly store: ExecutionStore;
  private readonly state: ExecutionState;
  private readonly tasks: ExecutionTasks;
  private readonly index: PacedKvWriter;
  protected readonly identity: IdentityRecord<ExecutionAddress>;
  protected readonly ledger: IdempotencyLedger;
  protected readonly alarms: AlarmPlan;
  private alarmActive = false;
  private readonly steps: ExecutionSteps;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ExecutionStore(ctx.storage);
    this.state = new ExecutionState(env, this.store, this.sealed, this.time);
    this.tasks = new ExecutionTasks((task) => this.perform(task));
    this.steps = new ExecutionSteps(this.state, this.store, this.tasks, () =>
      this.index.markDue(this.clock.now()),
    );
    this.identity = new IdentityRecord<ExecutionAddress>(
      ctx.storage,
      this.time,
      (a) => registerObject(env, a.tenant, { kind: "execution", name: `${a.machine}/${a.execution}` }),
      // Before identities, the address was part of "meta".
      () => ctx.storage.kv.get<ExecutionAddress>("meta"),
    );
    this.ledger = new IdempotencyLedger(ctx.storage.sql, this.sealed, "execution-idempotency");
    this.index = new PacedKvWriter(
      ctx.storage,
      "index",
      () => this.state.writeIndex(this.identity.get()?.address),
      this.time,
      () => this.alarms.rearm(),
    );
    const timers = { name: "timers", dueAt: () => this.state.nextWakeAt() };
    const owed = this.tasks.concerns(() => this.state.waiting(), this.time);
    this.alarms = new AlarmPlan(ctx.storage, [timers, ...owed, this.index, this.ledger, this.identity], {
      // Never in the past; the time armed is what the execution's clock takes when the alarm runs.
      floor: (next) => Math.max(next, this.clock.now() + 1),
      armed: (at) => (at === null ? ctx.storage.kv.delete("alarmAt") : ctx.storage.kv.put("alarmAt", at)),
    });
    this.watchers = new WatchHub(ctx, keyWatchers(env, "execution", ctx.id), env);
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  start(address: ExecutionAddress, request: StartRequest): Promise<Reply<StartOutcome>> {
    return this.write(address, request, () => this.decideStart(address, request), noSuchExecution);
  }

  describe(): Promise<Result<ExecutionDescription>> {
    return this.read((loaded) => ok(this.steps.describe(loaded.snapshot)));
  }

  async awaitEnd(ms: number): Promise<ExecutionDescription | null> {
    const loaded = await this.queue.run(() => this.existing());
    if (!loaded.ok) return null;
    if (loaded.value.snapshot.status !== "RUNNING") return this.steps.describe(loaded.value.snapshot);
    return this.steps.untilEnd(ms);
  }

  history(page: HistoryQuery): Promise<Result<HistoryPage>> {
    return this.read(() => this.state.history(this.identity.get()!.address, page));
  }

  stop(address: ExecutionAddress, request: StopRequest): Promise<Reply<ExecutionDescription>> {
    return this.write(
      address,
      request,
      async () => {
        const loaded = await this.existing();
        if (!loaded.ok) return { outcome: loaded, unrecorded: true };
        const { snapshot } = loaded.value;
        if (snapshot.status !== "RUNNING") return { outcome: ok(this.steps.describe(snapshot)) };
        const stop = stopInput(request.error, request.cause);
        return this.stepDecision(address, loaded.value, stop, (r) => ok(this.steps.describe(r.snapshot)));
      },
      noSuchExecution,
    );
  }

  redrive(address: ExecutionAddress, request: RedriveRequest): Promise<Reply<RedriveOutcome>> {
    const decide = async (): Promise<Decision<RedriveOutcome>> => {
      const loaded = await this.existing();
      if (!loaded.ok) return { outcome: loaded, unrecorded: true };
      return this.steps.redrive(address, loaded.value, () => this.kick());
    };
    return this.write(address, request, decide, noSuchExecution);
  }

  callback(
    address: ExecutionAddress,
    taskId: string,
    token: string,
    request: CallbackRequest,
  ): Promise<Reply<null>> {
    return this.write(
      address,
      request,
      async (): Promise<Decision<null>> => {
        const loaded = await this.existing();
        if (!loaded.ok)
          return { outcome: loaded.code === "not_found" ? notWaiting() : loaded, unrecorded: true };
        const task = { taskId, token, callback: request.callback };
        const { applied, batch } = await this.steps.callback(address, loaded.value, task);
        return this.steps.decision(applied ? ok(null) : notWaiting(), batch, () => this.kick());
      },
      noSuchExecution,
    );
  }

  diagram(): Promise<Result<DiagramData>> {
    return this.read((loaded) => ok(diagramOf(loaded.definitionText, loaded.snapshot)));
  }

  waitingTasks(): Promise<Result<WaitingTask[]>> {
    return this.read((loaded) => ok(waitingTasksOf(loaded.snapshot)));
  }

  /** A read of the stored execution, in the queue: loading it opens sealed values (an await). */
  private read<T>(answer: (loaded: Loaded) => Result<T> | Promise<Result<T>>): Promise<Result<T>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      return loaded.ok ? answer(loaded.value) : loaded;
    });
  }

  /** The shell's alarm (timers, owed tasks, the index), then every call it started, awaited. */
  override async alarm(): Promise<void> {
    this.alarmActive = true;
    try {
      await super.alarm();
      // Kept alive for its calls (re-run if it dies mid-call), up to the next timer's alarm.
      await this.tasks.settledBy(this.state.nextWakeAt(), this.clock.now());
    } finally {
      this.alarmActive = false;
    }
    await this.queue.run(() => this.alarms.rearm());
  }

  protected async onAlarm(): Promise<void> {
    this.state.raiseFloor(this.ctx.storage.kv.get<number>("alarmAt"));
    const loaded = await this.load();
    if (loaded.ok && loaded.value) {
      if (loaded.value.snapshot.status === "RUNNING")
        await this.advance(loaded.value, { type: "timer_fired" });
      this.tasks.launch(pendingTasks(loaded.value.snapshot));
    }
    await this.index.flush();
  }

  private async decideStart(
    address: ExecutionAddress,
    request: StartRequest,
  ): Promise<Decision<StartOutcome>> {
    const existing = await this.load();
    if (!existing.ok) return { outcome: existing, unrecorded: true };
    const started = await this.steps.start(address, existing.value, request);
    if (!started.ok) return { outcome: started };
    const { created, description, batch } = started.value;
    return this.steps.decision(ok({ created, description }), batch, () => this.kick());
  }

  /** One interpreter step as a decision: the batch commits with the write's idempotency record. */
  private async stepDecision<T>(
    address: ExecutionAddress,
    loaded: Loaded,
    input: ExecutionInput,
    outcome: (result: StepResult) => Result<T>,
  ): Promise<Decision<T>> {
    const batch = await this.steps.step(address, loaded, input);
    const result = batch?.result ?? { snapshot: loaded.snapshot, events: [], effects: [] };
    return this.steps.decision(outcome(result), batch, () => this.kick());
  }

  /** Outside a write (the alarm, a task's answer): one step, committed on its own. */
  private async advance(loaded: Loaded, input: ExecutionInput): Promise<void> {
    const batch = await this.steps.step(this.identity.get()!.address, loaded, input);
    if (!batch) return;
    this.commit(batch.write, batch.announce);
    this.steps.applied(batch);
  }

  /** After a change outside an alarm: owed tasks start from an alarm (or join the running one). */
  private async kick(): Promise<void> {
    const loaded = this.state.current;
    if (this.alarmActive && loaded) this.tasks.launch(pendingTasks(loaded.snapshot));
    await this.alarms.rearm();
  }

  private async perform(task: InvokeTaskEffect): Promise<void> {
    const loaded = this.state.current;
    // runTask turns every failure into an outcome; it does not throw.
    const outcome = await runTask(task, taskContext(this.env, this.identity.get()!, this.state.now()));
    await this.queue.run(async () => {
      this.tasks.answered(task.taskId);
      if (!loaded || this.state.current !== loaded) return; // evicted state; the reloaded object re-drives
      if (outcome.type !== "called") await this.advance(loaded, answerInput(task.taskId, outcome));
      else if (pendingTasks(loaded.snapshot).some((t) => t.taskId === task.taskId)) {
        loaded.called.add(task.taskId);
        this.store.rememberCalled([...loaded.called]);
      }
      await this.kick();
    });
  }

  /** The execution in memory; after a restart its owed tasks are recovered from the snapshot. */
  private async load(): Promise<Result<Loaded | null>> {
    const before = this.state.current;
    const loaded = await this.state.load(this.identity.get()?.address);
    if (loaded.ok && loaded.value && !before)
      this.tasks.recover(pendingTasks(loaded.value.snapshot), loaded.value.called);
    return loaded;
  }

  private async existing(): Promise<Result<Loaded>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    return loaded.value ? ok(loaded.value) : noSuchExecution();
  }

  /** Already in the queue (the shell admits watchers there). */
  protected override async startWatch({ since }: { since: number | null }): Promise<Result<WatchStart>> {
    const loaded = await this.existing();
    if (!loaded.ok) return loaded;
    const { address } = this.identity.get()!;
    return executionWatchStart(this.state, address, loaded.value, since, this.steps.describe);
  }

  protected placeOf(address: ExecutionAddress): Place {
    return executionPlace(address);
  }

  protected label(address: ExecutionAddress): string {
    return `execution ${address.machine}/${address.execution}`;
  }

  protected sealedSets(): SealedSet[] {
    return resealExecution(this.store, this.sealed, this.ledger);
  }
}
