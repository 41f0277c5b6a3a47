// A tiny shell for engine tests: runs a definition to completion with a fake task
// runner, moving a fake clock straight to `nextWakeAt` whenever nothing else can happen (so
// tests never sleep) and recording every invoke and every alarm time on the way.

import type { ExecutionInput, InvokeTaskEffect } from "../../../../src/machine/effects.ts";
import type { HistoryEvent } from "../../../../src/machine/events.ts";
import { type ExecutionSnapshot, nextWakeAt } from "../../../../src/machine/snapshot.ts";
import { type StepResult, startExecution, step } from "../../../../src/machine/step.ts";
import type { JsonValue, StateMachineDefinition } from "../../../../src/machine/types.ts";

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** What a fake task does: answer now, fail now, or never answer (timeouts, callbacks). */
export type TaskAnswer = { output: JsonValue } | { error: string; cause?: string } | "hang";
export type TaskRunner = (call: InvokeTaskEffect) => TaskAnswer;

export interface RunOptions {
  tasks?: TaskRunner | Record<string, TaskRunner>;
  random?: () => number;
  startedAt?: number;
  /** Stop when the clock passes this (for tests that inspect a running execution). */
  until?: number;
}

export interface Run {
  snapshot: ExecutionSnapshot;
  events: HistoryEvent[];
  invokes: InvokeTaskEffect[];
  /** `now` of every timer_fired step. */
  wakes: number[];
  now: number;
}

export async function run(
  definition: StateMachineDefinition,
  input: JsonValue = {},
  options: RunOptions = {},
): Promise<Run> {
  const random = options.random ?? (() => 0.5);
  let now = options.startedAt ?? T0;
  const started = await startExecution(
    definition,
    { input, executionName: "exec-1", machineName: "machine", machineVersion: 1, startedAt: now },
    { random },
  );
  const out: Run = { snapshot: started.snapshot, events: [...started.events], invokes: [], wakes: [], now };
  const queue: InvokeTaskEffect[] = [...started.effects];
  const feed = async (event: ExecutionInput) =>
    absorb(await step(definition, out.snapshot, event, { now, random }));
  const absorb = (result: StepResult) => {
    out.snapshot = result.snapshot;
    out.events.push(...result.events);
    queue.push(...result.effects);
  };
  for (let guard = 0; guard < 10_000 && out.snapshot.status === "RUNNING"; guard++) {
    const call = queue.shift();
    if (call) {
      out.invokes.push(call);
      const answer = runnerFor(options.tasks, call.resource)(call);
      if (answer === "hang") continue;
      await feed(
        "output" in answer
          ? { type: "task_succeeded", taskId: call.taskId, output: answer.output }
          : { type: "task_failed", taskId: call.taskId, error: answer.error, cause: answer.cause ?? "" },
      );
      continue;
    }
    const wake = nextWakeAt(out.snapshot);
    if (wake === null || (options.until !== undefined && wake > options.until)) break;
    now = Math.max(now, wake);
    out.wakes.push(now);
    await feed({ type: "timer_fired" });
  }
  out.now = now;
  return out;
}

function runnerFor(tasks: RunOptions["tasks"], resource: string): TaskRunner {
  if (typeof tasks === "function") return tasks;
  return (
    tasks?.[resource] ?? (() => ({ error: "States.TaskFailed", cause: `no fake runner for ${resource}` }))
  );
}

/** Event types in order, for comparing with a Step Functions history. */
export const types = (events: readonly HistoryEvent[]): string[] => events.map((e) => e.type);

/** An echo runner: the task's result is its parameters. */
export const echo: TaskRunner = (call) => ({ output: call.parameters });

/** Seconds after T0, as epoch ms. */
export const at = (seconds: number, start = T0): number => start + seconds * 1000;
