// The Task calls an execution owes: exactly the effects the interpreter returned (`StepResult.
// effects`), performed from alarm handlers, so the platform re-runs the alarm if the object dies
// mid-call. After a restart the snapshot is the recovery record: every task it still waits on,
// except `.waitForTaskToken` calls that went through, is owed again (same idempotency key).
import type { Clock } from "../core/clock";
import type { ExecutionAddress } from "../executions/contract";
import type { TaskContext } from "../executions/run-task";
import type { InvokeTaskEffect } from "../machine/engine.ts";
import { entityStub } from "./names";
import type { AlarmConcern } from "./shell/alarm-plan";
import type { Identity } from "./shell/identity";

/**
 * If a task call is in flight and this object dies, this alarm makes the call again (same
 * idempotency key). While the object lives, the in-flight set keeps the call from being repeated.
 */
const REDRIVE_MS = 60_000;

export class ExecutionTasks {
  /** Returned by the interpreter, not started yet. */
  private owed: InvokeTaskEffect[] = [];
  /** Started and not answered: never started twice while this instance lives. */
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly perform: (task: InvokeTaskEffect) => Promise<void>) {}

  /** What a step returned. */
  add(effects: InvokeTaskEffect[]): void {
    for (const effect of effects)
      if (!this.owed.some((o) => o.taskId === effect.taskId)) this.owed.push(effect);
  }

  /** After a (re)start: what the snapshot still waits on, less what already went through. */
  recover(waiting: InvokeTaskEffect[], called: ReadonlySet<string>): void {
    this.add(waiting.filter((t) => !called.has(t.taskId)));
  }

  /** What the tasks ask of the alarm: at once while one is owed, a re-drive guard while one is out. */
  concerns(waiting: () => InvokeTaskEffect[], clock: Clock): AlarmConcern[] {
    return [
      { name: "owed tasks", dueAt: () => (this.due(waiting()).length > 0 ? clock.now() + 1 : null) },
      { name: "re-drive", dueAt: () => (this.inFlight.size > 0 ? clock.now() + REDRIVE_MS : null) },
    ];
  }

  /** Starts every owed task the snapshot still waits on (an execution stopped meanwhile waits on none). */
  launch(waiting: InvokeTaskEffect[]): void {
    const due = this.due(waiting);
    const started = new Set(due.map((t) => t.taskId));
    this.owed = this.owed.filter((t) => !started.has(t.taskId) && waiting.some((w) => w.taskId === t.taskId));
    for (const task of due) {
      this.inFlight.add(task.taskId);
      const run: Promise<void> = this.perform(task).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** The call of `taskId` was answered (or the answer dropped); call this inside the write queue. */
  answered(taskId: string): void {
    this.inFlight.delete(taskId);
  }

  /** Every call started so far has ended: the alarm handler waits here, so the platform keeps it alive. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * `settled`, but no longer than until `at` (epoch ms; `now` on the same clock): a timer due
   * then (a Wait, a timeout, a retry) belongs to the next alarm, which cannot run while this one
   * waits on a slow call. Calls still running go on; their answers step the execution as usual.
   */
  async settledBy(at: number | null, now: number): Promise<void> {
    if (at === null) return this.settled();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const due = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, at - now));
    });
    try {
      await Promise.race([this.settled(), due]);
    } finally {
      clearTimeout(timer);
    }
  }

  private due(waiting: InvokeTaskEffect[]): InvokeTaskEffect[] {
    return this.owed.filter(
      (t) => !this.inFlight.has(t.taskId) && waiting.some((w) => w.taskId === t.taskId),
    );
  }
}

/** What a call needs from its execution: the tenant, the cap its calls share, its uid (task keys), the entities. */
export function taskContext(env: Env, identity: Identity<ExecutionAddress>, now: number): TaskContext {
  const { tenant, machine, execution } = identity.address;
  return {
    env,
    tenant,
    // Its calls share one cap (HTTP_TASK_MAX_CONCURRENCY) in this isolate.
    execution: `${tenant}/${machine}/${execution}`,
    executionUid: identity.uid,
    entity: (a) => entityStub(env, a),
    now,
  };
}
