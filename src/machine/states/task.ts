// Task: InputPath → Parameters → invoke (an effect for the shell) → ResultSelector → ResultPath →
// OutputPath. The task's deadlines (TimeoutSeconds, HeartbeatSeconds) live in its position; the
// run loop turns a passed deadline into States.Timeout / States.HeartbeatTimeout.

import { withinDataLimit } from "../data-limit.ts";
import { StatesError } from "../errors.ts";
import { NOT_TRUNCATED } from "../events.ts";
import { exitState, failState } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate, readPath } from "../io.ts";
import { contextFor, emit, newTaskId, type Runtime, visitedName } from "../runtime.ts";
import { type Attempts, attemptsOf, type Frame, invokeEffectOf, type TaskPosition } from "../snapshot.ts";
import type { JsonValue, TaskState } from "../types.ts";
import { emitEntered } from "./common.ts";
import { describeResource, waitsForCallback } from "./task-resource.ts";

/** Step Functions' default task timeout: 99999999 seconds (effectively none). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

export function enterTask(rt: Runtime, frame: Frame, name: string, state: TaskState, input: JsonValue): void {
  emitEntered(rt, frame, name, state, input);
  scheduleTask(rt, frame, name, state, { retries: [], attempt: 0, stateInput: input, enteredAt: rt.env.now });
}

/** Starts one attempt: on entry and again after each retry interval. */
export function scheduleTask(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: TaskState,
  attempts: Attempts,
): void {
  const taskId = newTaskId(rt);
  const taskToken = waitsForCallback(state.Resource) ? rt.env.makeTaskToken(taskId) : undefined;
  const context = contextFor(
    rt,
    name,
    attempts.enteredAt,
    attempts.attempt,
    taskToken === undefined ? {} : { Task: { Token: taskToken } },
  );
  const effective = applyInputPath(attempts.stateInput, state.InputPath, context);
  if (!effective.ok) {
    failState(rt, frame, name, state, attempts, effective.error, effective.cause);
    return;
  }
  const parameters = applyTemplate(state.Parameters, effective.value, context, rt.env.random);
  if (!parameters.ok) {
    failState(rt, frame, name, state, attempts, parameters.error, parameters.cause);
    return;
  }
  const seconds = (literal: number | undefined, path: string | undefined): number | undefined => {
    if (path === undefined) return literal;
    const read = readPath(effective.value, path, context);
    return read.found && typeof read.value === "number" && read.value > 0 ? read.value : undefined;
  };
  const timeoutSeconds = seconds(state.TimeoutSeconds, state.TimeoutSecondsPath);
  const heartbeatSeconds = seconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath);
  const position: TaskPosition = {
    kind: "task",
    state: name,
    taskId,
    resource: state.Resource,
    parameters: parameters.value,
    idempotencyKey: `${rt.snap.execution.name}/${frame.keyPrefix}${visitedName(frame, name)}/${attempts.attempt}`,
    timeoutAt: rt.env.now + (timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000,
    ...attempts,
    ...(taskToken === undefined ? {} : { taskToken }),
    ...(heartbeatSeconds === undefined
      ? {}
      : { heartbeatSeconds, heartbeatAt: rt.env.now + heartbeatSeconds * 1000 }),
  };
  const described = describeResource(state.Resource);
  emit(rt, frame, "TaskScheduled", {
    taskScheduledEventDetails: {
      ...described,
      parameters: JSON.stringify(parameters.value),
      ...(timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: heartbeatSeconds }),
    },
  });
  // The shell starts the call as soon as it has persisted this batch, so "started" is recorded
  // with "scheduled" (Step Functions records it when its worker picks the task up).
  emit(rt, frame, "TaskStarted", {
    taskStartedEventDetails: { resource: described.resource, resourceType: described.resourceType },
  });
  frame.position = position;
  rt.effects.push(invokeEffectOf(position));
}

export function onTaskSucceeded(rt: Runtime, frame: Frame, state: TaskState, result: JsonValue): void {
  const p = frame.position;
  if (p.kind !== "task") return;
  const { resource, resourceType } = describeResource(p.resource);
  emit(rt, frame, "TaskSucceeded", {
    taskSucceededEventDetails: {
      resource,
      resourceType,
      output: JSON.stringify(result),
      outputDetails: NOT_TRUNCATED,
    },
  });
  const attempts = attemptsOf(p);
  const fits = withinDataLimit(result, `The task '${p.state}' result`);
  if (!fits.ok) {
    failState(rt, frame, p.state, state, attempts, fits.error, fits.cause);
    return;
  }
  const context = contextFor(rt, p.state, p.enteredAt, p.attempt);
  const selected = applyTemplate(state.ResultSelector, result, context, rt.env.random);
  if (!selected.ok) {
    failState(rt, frame, p.state, state, attempts, selected.error, selected.cause);
    return;
  }
  const combined = applyResultPath(p.stateInput, selected.value, state.ResultPath);
  if (!combined.ok) {
    failState(rt, frame, p.state, state, attempts, combined.error, combined.cause);
    return;
  }
  const output = applyOutputPath(combined.value, state.OutputPath);
  if (!output.ok) {
    failState(rt, frame, p.state, state, attempts, output.error, output.cause);
    return;
  }
  exitState(rt, frame, p.state, state, output.value, attempts);
}

export function onTaskFailed(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  error: string,
  cause: string,
): void {
  const p = frame.position;
  if (p.kind !== "task") return;
  emit(rt, frame, "TaskFailed", {
    taskFailedEventDetails: { ...describeResource(p.resource), error, cause },
  });
  failState(rt, frame, p.state, state, attemptsOf(p), error, cause);
}

/** A deadline passed: the whole task timeout, or the gap between heartbeats. */
export function onTaskTimedOut(rt: Runtime, frame: Frame, state: TaskState, heartbeat: boolean): void {
  const p = frame.position;
  if (p.kind !== "task") return;
  const error = heartbeat ? StatesError.HeartbeatTimeout : StatesError.Timeout;
  const cause = heartbeat
    ? `No heartbeat received for task '${p.state}' within ${p.heartbeatSeconds} seconds.`
    : `The task '${p.state}' did not finish before its timeout.`;
  const { resource, resourceType } = describeResource(p.resource);
  emit(rt, frame, "TaskTimedOut", { taskTimedOutEventDetails: { resource, resourceType, error, cause } });
  failState(rt, frame, p.state, state, attemptsOf(p), error, cause);
}

/** A heartbeat pushes the heartbeat deadline out; it writes no history (as in Step Functions). */
export function onTaskHeartbeat(rt: Runtime, frame: Frame): void {
  const p = frame.position;
  if (p.kind !== "task" || p.heartbeatSeconds === undefined) return;
  p.heartbeatAt = rt.env.now + p.heartbeatSeconds * 1000;
}
