// Running the pure interpreter for one execution: a step (or the start) of core's `step`, sealed as
// one batch for one storage transaction, and what follows once it committed — memory, the owed
// effects, and anyone waiting for the end. No storage transaction is opened here: the object
// commits the batch (with an idempotency record when a request made the step).
import { fail, ok, type Result } from "../core/result";
import type { Announcement } from "../core/watch/contract";
import type {
  Callback,
  ExecutionAddress,
  ExecutionDescription,
  RedriveOutcome,
  StartRequest,
} from "../executions/contract";
import { describeExecution } from "../executions/describe";
import type { TaskOutcome } from "../executions/task-outcome";
import {
  type ExecutionInput,
  type ExecutionSnapshot,
  pendingTasks,
  redrive,
  type StepEnv,
  type StepResult,
  startExecution,
  step,
} from "../machine/engine.ts";
import type { ExecutionState, Loaded } from "./execution-state";
import type { ExecutionStore } from "./execution-store";
import type { ExecutionTasks } from "./execution-tasks";
import { batchAnnouncement } from "./execution-watch";
import type { Decision } from "./shell/object-shell";
import { Waiters } from "./shell/waiters";

/** A step that changed something: its result, the storage writes of its commit, what watchers hear of it. */
export interface Batch {
  loaded: Loaded;
  result: StepResult;
  write: () => void;
  announce: Announcement;
}

export class ExecutionSteps {
  private readonly waiters = new Waiters<ExecutionDescription | null>();

  constructor(
    private readonly state: ExecutionState,
    private readonly store: ExecutionStore,
    private readonly tasks: ExecutionTasks,
    /** The KV index must follow: a status changed (inside the commit's transaction). */
    private readonly indexDue: () => void,
  ) {}

  /** The first batch of a new execution, or the reason an existing one refuses this start. */
  async start(
    address: ExecutionAddress,
    existing: Loaded | null,
    request: StartRequest,
  ): Promise<Result<{ created: boolean; description: ExecutionDescription; batch?: Batch }>> {
    if (existing) {
      // Compared with the (sealed, now opened) input the execution started with: no digest of
      // the input is kept in clear, where it could confirm a guessed low-entropy input.
      if (JSON.stringify(existing.snapshot.execution.input) !== JSON.stringify(request.input)) {
        return fail(
          "conflict",
          `an execution named "${address.execution}" already exists with a different input`,
        );
      }
      return ok({ created: false, description: this.describe(existing.snapshot) });
    }
    const prepared = await this.state.prepare(request.definition);
    const options = {
      input: request.input,
      executionName: address.execution,
      machineName: address.machine,
      machineVersion: request.machineVersion,
      startedAt: this.state.now(),
      ...(request.maxSeconds === undefined ? {} : { maxSeconds: request.maxSeconds }),
    };
    const result = await startExecution(prepared.definition, options, this.env(address, prepared));
    const loaded: Loaded = { ...prepared, snapshot: result.snapshot };
    const sealed = await this.state.seal(address, loaded, result.snapshot, result.events, true);
    const write = () => {
      this.store.write(sealed);
      this.indexDue();
    };
    return ok({
      created: true,
      description: this.describe(result.snapshot),
      batch: { loaded, result, write, announce: batchAnnouncement(null, result, this.describe) },
    });
  }

  /** One step; null when it changed nothing (no commit). */
  async step(address: ExecutionAddress, loaded: Loaded, event: ExecutionInput): Promise<Batch | null> {
    const result = await step(loaded.definition, loaded.snapshot, event, this.env(address, loaded));
    return this.changed(address, loaded, result);
  }

  /**
   * A task's callback as one batch: what is due first (a task or heartbeat timeout, the execution
   * timeout, a sibling's timer), as the alarm would have done it, then the callback, but only if
   * the task (with that token) still waits after that. `applied` false: it is not waited for, or
   * came too late, and the batch holds only what was due.
   */
  async callback(
    address: ExecutionAddress,
    loaded: Loaded,
    task: { taskId: string; token: string; callback: Callback },
  ): Promise<{ applied: boolean; batch: Batch | null }> {
    const waiting = (snapshot: ExecutionSnapshot) =>
      pendingTasks(snapshot).some((t) => t.taskId === task.taskId && t.taskToken === task.token);
    if (!waiting(loaded.snapshot)) return { applied: false, batch: null };
    const event = callbackInput(task.taskId, task.callback);
    const due = await step(
      loaded.definition,
      loaded.snapshot,
      { type: "timer_fired" },
      this.env(address, loaded),
    );
    if (!waiting(due.snapshot)) return { applied: false, batch: await this.changed(address, loaded, due) };
    const after = await step(loaded.definition, due.snapshot, event, this.env(address, loaded));
    const result: StepResult = {
      snapshot: after.snapshot,
      events: [...due.events, ...after.events],
      effects: [...due.effects, ...after.effects],
    };
    return { applied: true, batch: await this.changed(address, loaded, result) };
  }

  private changed(
    address: ExecutionAddress,
    loaded: Loaded,
    result: StepResult,
  ): Promise<Batch | null> | null {
    if (result.events.length === 0 && JSON.stringify(result.snapshot) === JSON.stringify(loaded.snapshot)) {
      return null;
    }
    return this.batch(address, loaded, result);
  }

  /** A redrive as one batch (ExecutionRedriven and what runs at once), or why it is refused. */
  async redrive(
    address: ExecutionAddress,
    loaded: Loaded,
    kick: () => Promise<void>,
  ): Promise<Decision<RedriveOutcome>> {
    const env = this.env(address, loaded);
    const result = await redrive(loaded.definition, loaded.snapshot, env);
    if (!("snapshot" in result)) return { outcome: fail("conflict", result.reason) };
    const batch = await this.batch(address, loaded, result);
    const outcome = { redrivenAt: env.now, description: this.describe(result.snapshot) };
    return this.decision(ok(outcome), batch, kick);
  }

  describe = (snapshot: ExecutionSnapshot): ExecutionDescription =>
    describeExecution(snapshot, this.state.now());

  private async batch(address: ExecutionAddress, loaded: Loaded, result: StepResult): Promise<Batch> {
    const pending = new Set(pendingTasks(result.snapshot).map((t) => t.taskId));
    for (const id of loaded.called) if (!pending.has(id)) loaded.called.delete(id);
    const sealed = await this.state.seal(address, loaded, result.snapshot, result.events);
    const statusChanged = result.snapshot.status !== loaded.snapshot.status;
    const write = () => {
      this.store.write(sealed);
      if (statusChanged) this.indexDue();
    };
    return { loaded, result, write, announce: batchAnnouncement(loaded.snapshot, result, this.describe) };
  }

  /**
   * A request's batch as the shell's write decision: it commits with the request's idempotency
   * record; then memory and the owed effects follow, and `kick` arms what is due.
   */
  decision<T>(outcome: Result<T>, batch: Batch | null | undefined, kick: () => Promise<void>): Decision<T> {
    if (!batch) return { outcome, after: kick };
    return {
      outcome,
      persist: batch.write,
      announce: batch.announce,
      after: () => {
        this.applied(batch);
        return kick();
      },
    };
  }

  /** After a batch committed: memory follows, the effects it returned are owed, waiters learn the end. */
  applied({ loaded, result }: Batch): void {
    this.state.current ??= loaded;
    loaded.snapshot = result.snapshot;
    this.tasks.add(result.effects);
    if (result.snapshot.status === "RUNNING") return;
    const description = this.describe(result.snapshot);
    this.waiters.wake(description);
  }

  /** Resolves with the description when the execution ends, or null after `ms`. */
  untilEnd(ms: number): Promise<ExecutionDescription | null> {
    return this.waiters.wait(ms, null);
  }

  private env(address: ExecutionAddress, loaded: Pick<Loaded, "signer">): StepEnv {
    const { signer } = loaded;
    return {
      now: this.state.now(),
      random: Math.random,
      ...(signer ? { makeTaskToken: (taskId: string) => signer.sign({ ...address, taskId }) } : {}),
    };
  }
}

/** What a request or a task's answer is to the interpreter. */
export const stopInput = (error?: string, cause?: string): ExecutionInput => ({
  type: "stop",
  ...(error === undefined ? {} : { error }),
  ...(cause === undefined ? {} : { cause }),
});

export function callbackInput(taskId: string, callback: Callback): ExecutionInput {
  if (callback.kind === "success") return { type: "task_succeeded", taskId, output: callback.output };
  if (callback.kind === "heartbeat") return { type: "task_heartbeat", taskId };
  const cause = callback.cause === undefined ? {} : { cause: callback.cause };
  return { type: "task_failed", taskId, error: callback.error ?? "", ...cause };
}

export function answerInput(
  taskId: string,
  outcome: Exclude<TaskOutcome, { type: "called" }>,
): ExecutionInput {
  return outcome.type === "succeeded"
    ? { type: "task_succeeded", taskId, output: outcome.output }
    : { type: "task_failed", taskId, error: outcome.error, cause: outcome.cause };
}
