import { DurableObject } from "cloudflare:workers";
import { executionKey, writeExecution } from "../cache/machine-index";
import { getConfig } from "../config";
import { fail, ok, type Result } from "../core/result";
import { SealError, type Sealer } from "../crypto/sealer";
import { describeExecution, toApiEvent } from "../executions/describe";
import { runTask } from "../executions/run-task";
import type { TaskOutcome } from "../executions/task-outcome";
import { type TaskTokenSigner, taskTokenSigner } from "../executions/task-token";
import type {
  CallbackRequest,
  DiagramData,
  ExecutionAddress,
  ExecutionDescription,
  HistoryPage,
  StartOutcome,
  StartRequest,
} from "../executions/types";
import type { ExecutionInput, InvokeTaskEffect, StepEnv } from "../machine/effects.ts";
import type { HistoryEvent } from "../machine/events.ts";
import { type ExecutionSnapshot, nextWakeAt, pendingTasks, stateOutcomes } from "../machine/snapshot.ts";
import { startExecution, step } from "../machine/step.ts";
import type { StateMachineDefinition } from "../machine/types.ts";
import { ExecutionStore } from "./execution-store";
import { IndexSync } from "./index-sync";
import { SerialQueue } from "./serial-queue";

interface Meta extends ExecutionAddress {
  machineVersion: number;
}

interface Loaded {
  meta: Meta;
  definitionText: string;
  definition: StateMachineDefinition;
  snapshot: ExecutionSnapshot;
  signer: TaskTokenSigner | null;
  /** `.waitForTaskToken` tasks whose call went through: they wait for a callback, never re-called. */
  called: Set<string>;
}

/**
 * If a task call is in flight and this object dies, this alarm makes the call again (same
 * idempotency key). While the object lives, the in-flight set keeps the call from being repeated.
 */
const REDRIVE_MS = 60_000;

/**
 * One execution (tenant/machine/execution). It runs the pure interpreter (`step`) and persists each
 * batch — the snapshot and the new history events — in one storage transaction, then performs the
 * effects the snapshot asks for. Timers (Wait, retry backoff, task and heartbeat timeouts, the
 * execution timeout) are ONE alarm at `nextWakeAt(snapshot)`; work is started from alarms too
 * (`now + 1`), so a start reply returns at once and every call out is awaited inside an alarm
 * handler, which the platform re-runs if the object dies.
 *
 * Mutations go through a SerialQueue: sealing and KV are non-storage awaits that open the input
 * gate. Task calls run outside the queue, so a slow call never holds up callbacks or stop.
 *
 * The execution's clock is monotonic: max(wall clock, the time the last alarm was set for). An
 * alarm never fires early in production; when a test runs one early (runDurableObjectAlarm), the
 * execution sees the time it was set for, so retries and waits are tested without sleeping.
 */
export class ExecutionObject extends DurableObject<Env> {
  private readonly store: ExecutionStore;
  private readonly queue = new SerialQueue();
  private readonly index: IndexSync;
  private current: Loaded | undefined;
  private clockFloor = 0;
  private armedAt: number | null | undefined;
  private alarmActive = false;
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly waiters = new Set<(d: ExecutionDescription) => void>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ExecutionStore(ctx.storage);
    this.index = new IndexSync(ctx.storage, () => this.writeIndex());
    void ctx.blockConcurrencyWhile(async () => this.store.migrate());
  }

  start(request: StartRequest): Promise<Result<StartOutcome>> {
    return this.queue.run(async () => {
      const sealer = this.sealer();
      if (!sealer.ok) return sealer;
      const existing = await this.load();
      if (!existing.ok) return existing;
      if (existing.value) {
        // Compared with the (sealed, now opened) input the execution started with: no digest of
        // the input is kept in clear, where it could confirm a guessed low-entropy input.
        if (JSON.stringify(existing.value.snapshot.execution.input) !== JSON.stringify(request.input)) {
          return fail(
            "conflict",
            `an execution named "${request.execution}" already exists with a different input`,
          );
        }
        return ok({ created: false, description: describeExecution(existing.value.snapshot) });
      }
      const { tenant, machine, execution, machineVersion } = request;
      const meta: Meta = { tenant, machine, execution, machineVersion };
      const definition = JSON.parse(request.definition) as StateMachineDefinition;
      const signer = await taskTokenSigner(this.env);
      const startedAt = this.now();
      const result = await startExecution(
        definition,
        { input: request.input, executionName: execution, machineName: machine, machineVersion, startedAt },
        this.stepEnv(meta, signer),
      );
      const loaded: Loaded = {
        meta,
        definitionText: request.definition,
        definition,
        snapshot: result.snapshot,
        signer,
        called: new Set(),
      };
      const sealedDefinition = await sealer.value.seal(
        request.definition,
        this.sealContext(meta, "definition"),
      );
      await this.commit(loaded, result.snapshot, result.events, () => {
        this.ctx.storage.kv.put("meta", meta);
        this.ctx.storage.kv.put("definition", sealedDefinition);
      });
      this.current = loaded;
      await this.kick(loaded);
      return ok({ created: true, description: describeExecution(loaded.snapshot) });
    });
  }

  describe(): Promise<Result<ExecutionDescription>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      return loaded.ok ? ok(describeExecution(loaded.value.snapshot)) : loaded;
    });
  }

  /** Holds the reply until the execution ends (its description) or `ms` pass (null). */
  async awaitEnd(ms: number): Promise<ExecutionDescription | null> {
    const loaded = await this.queue.run(() => this.existing());
    if (!loaded.ok) return null;
    if (loaded.value.snapshot.status !== "RUNNING") return describeExecution(loaded.value.snapshot);
    return new Promise((resolve) => {
      const done = (description: ExecutionDescription | null) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(description);
      };
      // A timer here only bounds how long a client's request is held; no execution state hangs on it.
      const timer = setTimeout(() => done(null), ms);
      this.waiters.add(done);
    });
  }

  history(page: { limit: number; after: number }): Promise<Result<HistoryPage>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      if (!loaded.ok) return loaded;
      const sealer = this.sealer();
      if (!sealer.ok) return sealer;
      const rows = this.store.page(page.after, page.limit + 1);
      const events = [];
      for (const row of rows.slice(0, page.limit)) {
        const text = await this.open(sealer.value, row.body, loaded.value.meta, row.id, "execution-history");
        if (!text.ok) return text;
        events.push(toApiEvent(JSON.parse(text.value) as HistoryEvent));
      }
      const more = rows.length > page.limit;
      return ok({ events, cursor: more ? String(events[events.length - 1]!.id) : null });
    });
  }

  stop(error?: string, cause?: string): Promise<Result<ExecutionDescription>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      if (!loaded.ok) return loaded;
      if (loaded.value.snapshot.status === "RUNNING") {
        await this.advance(loaded.value, {
          type: "stop",
          ...(error === undefined ? {} : { error }),
          ...(cause === undefined ? {} : { cause }),
        });
        await this.kick(loaded.value);
      }
      return ok(describeExecution(loaded.value.snapshot));
    });
  }

  /** A callback for a `.waitForTaskToken` task; not_found unless that task is waiting now. */
  callback(taskId: string, token: string, request: CallbackRequest): Promise<Result<null>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      if (!loaded.ok) return loaded;
      const waiting = pendingTasks(loaded.value.snapshot).some(
        (t) => t.taskId === taskId && t.taskToken === token,
      );
      if (!waiting)
        return fail("not_found", "no task is waiting for this token (it ended, timed out or was stopped)");
      let event: ExecutionInput;
      if (request.kind === "success") event = { type: "task_succeeded", taskId, output: request.output };
      else if (request.kind === "failure") {
        event = {
          type: "task_failed",
          taskId,
          error: request.error ?? "",
          ...(request.cause === undefined ? {} : { cause: request.cause }),
        };
      } else event = { type: "task_heartbeat", taskId };
      await this.advance(loaded.value, event);
      await this.kick(loaded.value);
      return ok(null);
    });
  }

  diagram(): Promise<Result<DiagramData>> {
    return this.queue.run(async () => {
      const loaded = await this.existing();
      if (!loaded.ok) return loaded;
      return ok({
        definition: loaded.value.definitionText,
        machineVersion: loaded.value.meta.machineVersion,
        outcomes: stateOutcomes(loaded.value.snapshot),
      });
    });
  }

  override async alarm(): Promise<void> {
    this.alarmActive = true;
    try {
      await this.queue.run(async () => {
        this.armedAt = undefined; // the alarm that just fired is gone
        const loaded = await this.load();
        this.clockFloor = Math.max(this.clockFloor, this.ctx.storage.kv.get<number>("alarmAt") ?? 0);
        if (loaded.ok && loaded.value) {
          if (loaded.value.snapshot.status === "RUNNING")
            await this.advance(loaded.value, { type: "timer_fired" });
          this.launch(loaded.value);
        }
        await this.index.flush(Date.now());
        await this.rearm();
      });
      // Every call started while this handler runs is awaited here, so the platform keeps the
      // object alive for it and re-runs the alarm if the object dies mid-call.
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
    } finally {
      this.alarmActive = false;
    }
    await this.queue.run(() => this.rearm());
  }

  // ---- running the interpreter ------------------------------------------------------------------

  private async advance(loaded: Loaded, event: ExecutionInput): Promise<void> {
    const before = loaded.snapshot;
    const result = await step(loaded.definition, before, event, this.stepEnv(loaded.meta, loaded.signer));
    if (result.events.length === 0 && JSON.stringify(result.snapshot) === JSON.stringify(before)) return;
    await this.commit(loaded, result.snapshot, result.events);
  }

  /** One batch, one transaction: snapshot, new history events, index mark (and, at start, meta). */
  private async commit(
    loaded: Loaded,
    snapshot: ExecutionSnapshot,
    events: HistoryEvent[],
    alsoInTransaction?: () => void,
  ): Promise<void> {
    const sealer = this.sealer();
    if (!sealer.ok) throw new Error(sealer.detail);
    const { meta } = loaded;
    const sealedSnapshot = await sealer.value.seal(
      JSON.stringify(snapshot),
      this.sealContext(meta, "snapshot"),
    );
    const sealedEvents = await Promise.all(
      events.map((e) =>
        sealer.value.seal(JSON.stringify(e), { ...this.sealContext(meta, e.id), kind: "execution-history" }),
      ),
    );
    const statusChanged = alsoInTransaction !== undefined || snapshot.status !== loaded.snapshot.status;
    const pending = new Set(pendingTasks(snapshot).map((t) => t.taskId));
    for (const id of loaded.called) if (!pending.has(id)) loaded.called.delete(id);
    this.ctx.storage.transactionSync(() => {
      alsoInTransaction?.();
      this.ctx.storage.kv.put("snapshot", sealedSnapshot);
      this.ctx.storage.kv.put("called", [...loaded.called]);
      this.ctx.storage.kv.put("clock", this.clockFloor);
      for (const [i, e] of events.entries()) this.store.insert(e.id, e.type, sealedEvents[i]!);
      if (statusChanged) this.index.markDue(Date.now());
    });
    loaded.snapshot = snapshot;
    if (snapshot.status !== "RUNNING") {
      const description = describeExecution(snapshot);
      for (const waiter of [...this.waiters]) waiter(description);
    }
  }

  /** After a change outside an alarm: start what is pending from an alarm (or join the running one). */
  private async kick(loaded: Loaded): Promise<void> {
    if (this.alarmActive) this.launch(loaded);
    await this.rearm();
  }

  private unlaunched(loaded: Loaded): InvokeTaskEffect[] {
    return pendingTasks(loaded.snapshot).filter(
      (t) => !this.inFlight.has(t.taskId) && !loaded.called.has(t.taskId),
    );
  }

  private launch(loaded: Loaded): void {
    for (const task of this.unlaunched(loaded)) {
      this.inFlight.add(task.taskId);
      const run: Promise<void> = this.perform(loaded, task).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  private async perform(loaded: Loaded, task: InvokeTaskEffect): Promise<void> {
    // runTask turns every failure into an outcome; it does not throw.
    const outcome: TaskOutcome = await runTask(task, {
      env: this.env,
      tenant: loaded.meta.tenant,
      execution: `${loaded.meta.tenant}/${loaded.meta.machine}/${loaded.meta.execution}`,
      now: this.now(),
    });
    await this.queue.run(async () => {
      this.inFlight.delete(task.taskId);
      if (this.current !== loaded) return; // evicted state; the reloaded object re-drives
      if (outcome.type === "called") {
        if (pendingTasks(loaded.snapshot).some((t) => t.taskId === task.taskId)) {
          loaded.called.add(task.taskId);
          this.ctx.storage.kv.put("called", [...loaded.called]);
        }
      } else {
        await this.advance(
          loaded,
          outcome.type === "succeeded"
            ? { type: "task_succeeded", taskId: task.taskId, output: outcome.output }
            : { type: "task_failed", taskId: task.taskId, error: outcome.error, cause: outcome.cause },
        );
      }
      await this.kick(loaded);
    });
  }

  /** ONE alarm: the next deadline, a kick for unstarted tasks, a re-drive guard, the index write. */
  private async rearm(): Promise<void> {
    const loaded = this.current;
    const candidates: number[] = [];
    const wake = loaded ? nextWakeAt(loaded.snapshot) : null;
    if (wake !== null) candidates.push(wake);
    if (loaded && this.unlaunched(loaded).length > 0) candidates.push(Date.now() + 1);
    if (this.inFlight.size > 0) candidates.push(Date.now() + REDRIVE_MS);
    const due = this.index.dueAt();
    if (due !== null) candidates.push(due);
    const next = candidates.length === 0 ? null : Math.max(Math.min(...candidates), Date.now() + 1);
    if (next === this.armedAt) return;
    this.armedAt = next;
    if (next === null) {
      this.ctx.storage.kv.delete("alarmAt");
      await this.ctx.storage.deleteAlarm();
    } else {
      this.ctx.storage.kv.put("alarmAt", next);
      await this.ctx.storage.setAlarm(next);
    }
  }

  private stepEnv(meta: Meta, signer: TaskTokenSigner | null): StepEnv {
    return {
      now: this.now(),
      random: Math.random,
      ...(signer
        ? {
            makeTaskToken: (taskId: string) =>
              signer.sign({ tenant: meta.tenant, machine: meta.machine, execution: meta.execution, taskId }),
          }
        : {}),
    };
  }

  private now(): number {
    this.clockFloor = Math.max(Date.now(), this.clockFloor);
    return this.clockFloor;
  }

  // ---- storage --------------------------------------------------------------------------------

  private async existing(): Promise<Result<Loaded>> {
    const loaded = await this.load();
    if (!loaded.ok) return loaded;
    return loaded.value ? ok(loaded.value) : fail("not_found", "no such execution");
  }

  /** The execution in memory, reading and opening it after a (re)start. Call inside the queue. */
  private async load(): Promise<Result<Loaded | null>> {
    if (this.current) return ok(this.current);
    const meta = this.ctx.storage.kv.get<Meta>("meta");
    if (!meta) return ok(null);
    const sealer = this.sealer();
    if (!sealer.ok) return sealer;
    const definitionText = await this.open(
      sealer.value,
      this.ctx.storage.kv.get<string>("definition") ?? "",
      meta,
      "definition",
    );
    if (!definitionText.ok) return definitionText;
    const snapshot = await this.open(
      sealer.value,
      this.ctx.storage.kv.get<string>("snapshot") ?? "",
      meta,
      "snapshot",
    );
    if (!snapshot.ok) return snapshot;
    this.clockFloor = Math.max(this.clockFloor, this.ctx.storage.kv.get<number>("clock") ?? 0);
    this.current = {
      meta,
      definitionText: definitionText.value,
      definition: JSON.parse(definitionText.value) as StateMachineDefinition,
      snapshot: JSON.parse(snapshot.value) as ExecutionSnapshot,
      signer: await taskTokenSigner(this.env),
      called: new Set(this.ctx.storage.kv.get<string[]>("called") ?? []),
    };
    return ok(this.current);
  }

  private async writeIndex(): Promise<void> {
    const loaded = this.current;
    if (!loaded) return;
    const { meta, snapshot } = loaded;
    const startedAt = snapshot.execution.startedAt;
    await writeExecution(this.env.CACHE, executionKey(meta.tenant, meta.machine, meta.execution, startedAt), {
      s: snapshot.status,
      t: startedAt,
      e: snapshot.stoppedAt ?? null,
      v: meta.machineVersion,
    });
  }

  private sealer(): Result<Sealer> {
    const config = getConfig(this.env);
    return config.sealer ? ok(config.sealer) : fail("unavailable", config.problems.join("; "));
  }

  private sealContext(meta: Meta, version: string | number) {
    return { tenant: meta.tenant, kind: "execution", name: `${meta.machine}/${meta.execution}`, version };
  }

  private async open(
    sealer: Sealer,
    sealed: string,
    meta: Meta,
    version: string | number,
    kind = "execution",
  ): Promise<Result<string>> {
    try {
      return ok(await sealer.open(sealed, { ...this.sealContext(meta, version), kind }));
    } catch (e) {
      if (e instanceof SealError) return fail(e.reason, e.message);
      throw e;
    }
  }
}
