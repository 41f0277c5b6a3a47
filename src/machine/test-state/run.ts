// TestState: one state of a definition, run once on a given input, by the same state handlers
// that run executions. The run stops where the state hands control on (its Next, the end of its
// machine, a Retry's wait, a Catch's Next) instead of going on. A Wait does not wait; a Task makes
// its call (through `perform`, supplied by the shell) or takes the mock instead; a Map or Parallel
// takes the mock as the result of its iterations or branches, which never run.

import type { JsonObject, JsonValue } from "../../core/json/json-value.ts";
import type { InvokeTaskEffect } from "../effects.ts";
import { StatesError } from "../errors.ts";
import { failState } from "../flow.ts";
import { contextFor, dropFrames, EXECUTION_ROLE_ARN, type Runtime, stateOf } from "../runtime.ts";
import {
  attemptsOf,
  type ExecutionSnapshot,
  type Frame,
  invokeEffectOf,
  SNAPSHOT_VERSION,
} from "../snapshot.ts";
import { childEnds } from "../states/child-ends.ts";
import { itemInput } from "../states/map-item.ts";
import { finishResults } from "../states/parallel.ts";
import { onTaskFailed, onTaskSucceeded } from "../states/task.ts";
import { endWait } from "../states/wait.ts";
import { enterState } from "../step.ts";
import type { MapState, ParallelState, TaskState } from "../types.ts";
import type { TaskAnswer, TestInspection, TestMock, TestStateRequest, TestStateResult } from "./request.ts";
import type { TestTarget } from "./target.ts";

export type { TaskAnswer, TestStateRequest, TestStateResult } from "./request.ts";
export { refusalOf } from "./request.ts";

export async function runTestState(
  target: TestTarget,
  request: TestStateRequest,
  perform: (effect: InvokeTaskEffect) => Promise<TaskAnswer>,
): Promise<TestStateResult> {
  const rt = runtimeFor(target, request);
  const frame = rt.snap.frames.f0!;
  const inspection: TestInspection = { input: request.input };
  await enterState(rt, frame);
  // Each pass hands the state what it waits for; three are enough (a call, then its result).
  for (let step = 0; step < 4 && rt.snap.status === "RUNNING"; step++) {
    const p = frame.position;
    if (p.kind === "ready" || p.kind === "retry") break;
    const state = stateOf(rt, frame, p.state);
    if (p.kind === "wait") await endWait(rt, frame);
    else if (p.kind === "task" && state?.Type === "Task") {
      const answer = request.mock ? mockAnswer(request.mock) : await perform(invokeEffectOf(p));
      if (answer.ok) await onTaskSucceeded(rt, frame, state, answer.output);
      else {
        presetRetries(frame, state, request.retrierRetryCount);
        await onTaskFailed(rt, frame, state, answer.error, answer.cause);
      }
    } else if (
      (p.kind === "map" || p.kind === "parallel") &&
      (state?.Type === "Map" || state?.Type === "Parallel")
    ) {
      await resolveWithMock(rt, frame, state, request, inspection);
    } else break;
  }
  return outcome(rt, frame, target, inspection);
}

function runtimeFor(target: TestTarget, request: TestStateRequest): Runtime {
  const { execution } = request;
  const snap: ExecutionSnapshot = {
    version: SNAPSHOT_VERSION,
    status: "RUNNING",
    execution: {
      id: execution.id,
      name: execution.name,
      machineName: execution.machineName,
      machineVersion: 1,
      machineId: execution.machineId,
      input: request.input,
      startedAt: request.now,
    },
    timeoutAt: null,
    eventCounter: 0,
    frameCounter: 0,
    taskCounter: 0,
    rootFrameId: "f0",
    frames: {
      f0: {
        id: "f0",
        parent: null,
        scope: target.scope,
        keyPrefix: "",
        lastEventId: 0,
        visits: {},
        ...(request.variables ? { variables: request.variables } : {}),
        position: { kind: "ready", state: target.name, input: request.input },
      },
    },
    outcomes: {},
  };
  const roleArn = execution.roleArn ?? EXECUTION_ROLE_ARN;
  // Inside a Map's item processor, `$$.Map.Item` is the first item: the input (as AWS fills it in).
  const item = target.inMap ? { Map: { Item: { Index: 0, Value: request.input } } } : {};
  const context = { Execution: { RoleArn: roleArn }, ...item, ...request.context } as JsonObject;
  return {
    definition: target.machine,
    snap,
    env: { now: request.now, random: request.random, makeTaskToken: (taskId) => `${execution.id}#${taskId}` },
    events: [],
    effects: [],
    children: childEnds,
    inspection: { stages: {} },
    contextOverride: context,
  };
}

const mockAnswer = (mock: TestMock): TaskAnswer =>
  "result" in mock ? { ok: true, output: mock.result } : { ok: false, error: mock.error, cause: mock.cause };

/** stateConfiguration.retrierRetryCount: the state has already retried this often. */
function presetRetries(
  frame: Frame,
  state: TaskState | MapState | ParallelState,
  count: number | undefined,
): void {
  const p = frame.position;
  if (count === undefined || !("retries" in p)) return;
  p.retries = (state.Retry ?? []).map(() => count);
  p.attempt = count;
}

async function resolveWithMock(
  rt: Runtime,
  frame: Frame,
  state: MapState | ParallelState,
  request: TestStateRequest,
  inspection: TestInspection,
): Promise<void> {
  const p = frame.position;
  if (p.kind !== "map" && p.kind !== "parallel") return;
  // The branches and iterations never run: the mock is what they came to.
  for (const child of Object.keys(rt.snap.frames)) if (child !== frame.id) dropFrames(rt, child);
  const attempts = attemptsOf(p);
  const mock = request.mock;
  if (p.kind === "map" && state.Type === "Map") {
    inspection.maxConcurrency = p.maxConcurrency;
    if (p.toleratedCount !== null) inspection.toleratedFailureCount = p.toleratedCount;
    if (p.toleratedPercentage !== null) inspection.toleratedFailurePercentage = p.toleratedPercentage;
    const selected: JsonValue[] = [];
    for (const [index, value] of p.items.entries()) {
      const context = contextFor(rt, p.state, p.enteredAt, p.attempt, {
        Map: { Item: { Index: index, Value: value } },
      });
      const input = await itemInput(rt, frame, state, p.effectiveInput, context, value);
      if (!input.ok) return failState(rt, frame, p.state, state, attempts, input);
      selected.push(input.value);
    }
    inspection.afterItemSelector = selected;
    const failures = request.mapIterationFailureCount ?? 0;
    if (mock && "result" in mock && failures > 0 && overThreshold(p, failures)) {
      presetRetries(frame, state, request.retrierRetryCount);
      return failState(rt, frame, p.state, state, attemptsOf(frame.position as typeof p), {
        ok: false,
        error: StatesError.ExceedToleratedFailureThreshold,
        cause: "The specified tolerated failure threshold was exceeded",
      });
    }
  }
  if (!mock) return;
  if ("result" in mock) return finishResults(rt, frame, p.state, state, mock.result as JsonValue[], attempts);
  presetRetries(frame, state, request.retrierRetryCount);
  const retried = frame.position as typeof p;
  return failState(rt, frame, p.state, state, attemptsOf(retried), {
    ok: false,
    error: mock.error,
    cause: mock.cause,
  });
}

function overThreshold(
  p: { items: JsonValue[]; toleratedCount: number | null; toleratedPercentage: number | null },
  failures: number,
): boolean {
  if (p.toleratedCount === null && p.toleratedPercentage === null) return true;
  const overCount = p.toleratedCount !== null && failures > p.toleratedCount;
  const overPercentage =
    p.toleratedPercentage !== null && (failures / Math.max(1, p.items.length)) * 100 > p.toleratedPercentage;
  return overCount || overPercentage;
}

function outcome(rt: Runtime, frame: Frame, target: TestTarget, inspection: TestInspection): TestStateResult {
  const seen = rt.inspection!;
  const full: TestInspection = { ...inspection, ...seen.stages };
  const variables = frame.variables;
  if (variables && Object.keys(variables).length > 0) full.variables = variables;
  const snap = rt.snap;
  if (snap.status === "SUCCEEDED")
    return { status: "SUCCEEDED", output: snap.output ?? null, inspection: full };
  if (snap.status !== "RUNNING") {
    return { status: "FAILED", error: snap.error ?? "", cause: snap.cause ?? "", inspection: full };
  }
  const p = frame.position;
  if (p.kind === "retry" && seen.retried) {
    const { error, cause, index, delayMs } = seen.retried;
    full.errorDetails = { retryIndex: index, retryBackoffIntervalSeconds: Math.round(delayMs / 1000) };
    return { status: "RETRIABLE", error, cause, inspection: full };
  }
  if (p.kind === "ready") {
    if (seen.caught && snap.outcomes[target.name] === "caught") {
      full.errorDetails = { catchIndex: seen.caught.index };
      const { error, cause } = seen.caught;
      return { status: "CAUGHT_ERROR", error, cause, nextState: p.state, output: p.input, inspection: full };
    }
    return { status: "SUCCEEDED", nextState: p.state, output: p.input, inspection: full };
  }
  // A state still waiting after its answers (should not happen: every position above is resolved).
  return {
    status: "FAILED",
    error: StatesError.Runtime,
    cause: `The state '${target.name}' did not finish (${p.kind}).`,
    inspection: full,
  };
}
