// Task. JSONPath: InputPath → Parameters → invoke (an effect for the shell) → ResultSelector →
// Assign → ResultPath → OutputPath. JSONata: Arguments (default: the input) → invoke → Assign and
// Output (default: the result) over `$states.result`. The task's deadlines (TimeoutSeconds,
// HeartbeatSeconds) live in its position; the run loop turns a passed deadline into
// States.Timeout / States.HeartbeatTimeout.

import { withinDataLimit } from "../data-limit.ts";
import { StatesError } from "../errors.ts";
import { NOT_TRUNCATED } from "../events.ts";
import { exitState, failState } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate, readPath } from "../io.ts";
import type { ContextObject } from "../paths/context.ts";
import { variablesOf } from "../query/variables.ts";
import { contextFor, emit, inspect, newTaskId, type Runtime, visitedName } from "../runtime.ts";
import { schedulable } from "../schedulable.ts";
import { assignJsonPath, isJsonata, type Outcome, settleJsonata } from "../settle.ts";
import { type Attempts, attemptsOf, type Frame, invokeEffectOf, type TaskPosition } from "../snapshot.ts";
import type { JsonValue, TaskState } from "../types.ts";
import { emitEntered, jsonataArguments, jsonataSeconds } from "./common.ts";
import { describeResource, waitsForCallback } from "./task-resource.ts";

/** Step Functions' default task timeout: 99999999 seconds (effectively none). */
export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

export async function enterTask(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: TaskState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  await scheduleTask(rt, frame, name, state, {
    retries: [],
    attempt: 0,
    stateInput: input,
    enteredAt: rt.env.now,
  });
}

interface Call {
  parameters: JsonValue;
  timeoutSeconds: number | undefined;
  heartbeatSeconds: number | undefined;
}

/** Starts one attempt: on entry and again after each retry interval. */
export async function scheduleTask(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: TaskState,
  attempts: Attempts,
): Promise<void> {
  const taskId = newTaskId(rt);
  const taskToken = waitsForCallback(state.Resource) ? rt.env.makeTaskToken(taskId) : undefined;
  const context = contextFor(
    rt,
    name,
    attempts.enteredAt,
    attempts.attempt,
    taskToken === undefined ? {} : { Task: { Token: taskToken } },
  );
  const call = isJsonata(rt, state)
    ? await jsonataCall(rt, frame, state, attempts, context)
    : jsonPathCall(rt, frame, state, attempts, context);
  if (!call.ok) return failState(rt, frame, name, state, attempts, call);
  const { parameters, timeoutSeconds, heartbeatSeconds } = call.value;
  // AWS holds a state's input after Parameters (Arguments) to the payload limit: no call is made.
  const fits = withinDataLimit(parameters, `The state '${name}' input after Parameters`);
  if (!fits.ok) return failState(rt, frame, name, state, attempts, fits);
  const timeoutAt = schedulable(
    rt.env.now + (timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000,
    `The timeout of task '${name}'`,
  );
  if (!timeoutAt.ok) return failState(rt, frame, name, state, attempts, timeoutAt);
  const position: TaskPosition = {
    kind: "task",
    state: name,
    taskId,
    resource: state.Resource,
    parameters,
    idempotencyKey: `${rt.snap.execution.name}/${frame.keyPrefix}${visitedName(frame, name)}/${attempts.attempt}`,
    timeoutAt: timeoutAt.value,
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
      parameters: JSON.stringify(parameters),
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

function jsonPathCall(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  attempts: Attempts,
  context: ContextObject,
): Outcome<Call> {
  const variables = variablesOf(rt, frame);
  const effective = applyInputPath(attempts.stateInput, state.InputPath, context);
  if (!effective.ok) return effective;
  inspect(rt, "afterInputPath", effective.value);
  const parameters = applyTemplate(state.Parameters, effective.value, context, rt.env.random, variables);
  if (!parameters.ok) return parameters;
  inspect(rt, "afterParameters", parameters.value);
  const seconds = (
    literal: number | string | undefined,
    path: string | undefined,
    field: string,
  ): Outcome<number | undefined> => {
    if (path === undefined) return { ok: true, value: typeof literal === "number" ? literal : undefined };
    // A path that selects no valid timeout fails the state (as Wait's SecondsPath does): running
    // without the timeout the definition asked for would leave the task unbounded.
    const read = readPath(effective.value, path, context, variables);
    const value = read.found ? read.value : undefined;
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return { ok: true, value };
    return {
      ok: false,
      error: StatesError.Runtime,
      cause: `The ${field} parameter does not reference a valid positive integer: ${path}`,
    };
  };
  const timeoutSeconds = seconds(state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSecondsPath");
  if (!timeoutSeconds.ok) return timeoutSeconds;
  const heartbeatSeconds = seconds(
    state.HeartbeatSeconds,
    state.HeartbeatSecondsPath,
    "HeartbeatSecondsPath",
  );
  if (!heartbeatSeconds.ok) return heartbeatSeconds;
  return {
    ok: true,
    value: {
      parameters: parameters.value,
      timeoutSeconds: timeoutSeconds.value,
      heartbeatSeconds: heartbeatSeconds.value,
    },
  };
}

async function jsonataCall(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  attempts: Attempts,
  context: ContextObject,
): Promise<Outcome<Call>> {
  const states = { input: attempts.stateInput };
  const parameters = await jsonataArguments(rt, frame, state.Arguments, states, context);
  if (!parameters.ok) return parameters;
  inspect(rt, "afterArguments", parameters.value);
  const timeout = await jsonataSeconds(rt, frame, state.TimeoutSeconds, "TimeoutSeconds", states, context);
  if (!timeout.ok) return timeout;
  const heartbeat = await jsonataSeconds(
    rt,
    frame,
    state.HeartbeatSeconds,
    "HeartbeatSeconds",
    states,
    context,
  );
  if (!heartbeat.ok) return heartbeat;
  return {
    ok: true,
    value: { parameters: parameters.value, timeoutSeconds: timeout.value, heartbeatSeconds: heartbeat.value },
  };
}

export async function onTaskSucceeded(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  result: JsonValue,
): Promise<void> {
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
  inspect(rt, "result", result);
  const fits = withinDataLimit(result, `The task '${p.state}' result`);
  if (!fits.ok) return failState(rt, frame, p.state, state, attempts, fits);
  const context = contextFor(rt, p.state, p.enteredAt, p.attempt);
  if (isJsonata(rt, state)) {
    const states = { input: p.stateInput, result };
    const settled = await settleJsonata(rt, frame, state, result, states, context);
    if (!settled.ok) return failState(rt, frame, p.state, state, attempts, settled);
    return exitState(rt, frame, p.state, state, settled.value.output, attempts, settled.value.assigned);
  }
  const variables = variablesOf(rt, frame);
  const selected = applyTemplate(state.ResultSelector, result, context, rt.env.random, variables);
  if (!selected.ok) return failState(rt, frame, p.state, state, attempts, selected);
  inspect(rt, "afterResultSelector", selected.value);
  const assigned = assignJsonPath(rt, frame, state.Assign, selected.value, context);
  if (!assigned.ok) return failState(rt, frame, p.state, state, attempts, assigned);
  const combined = applyResultPath(p.stateInput, selected.value, state.ResultPath);
  if (!combined.ok) return failState(rt, frame, p.state, state, attempts, combined);
  inspect(rt, "afterResultPath", combined.value);
  const output = applyOutputPath(combined.value, state.OutputPath, context);
  if (!output.ok) return failState(rt, frame, p.state, state, attempts, output);
  return exitState(rt, frame, p.state, state, output.value, attempts, assigned.value);
}

export async function onTaskFailed(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  error: string,
  cause: string,
): Promise<void> {
  const p = frame.position;
  if (p.kind !== "task") return;
  emit(rt, frame, "TaskFailed", {
    taskFailedEventDetails: { ...describeResource(p.resource), error, cause },
  });
  await failState(rt, frame, p.state, state, attemptsOf(p), { ok: false, error, cause });
}

/** A deadline passed: the whole task timeout, or the gap between heartbeats. */
export async function onTaskTimedOut(
  rt: Runtime,
  frame: Frame,
  state: TaskState,
  heartbeat: boolean,
): Promise<void> {
  const p = frame.position;
  if (p.kind !== "task") return;
  const error = heartbeat ? StatesError.HeartbeatTimeout : StatesError.Timeout;
  const cause = heartbeat
    ? `No heartbeat received for task '${p.state}' within ${p.heartbeatSeconds} seconds.`
    : `The task '${p.state}' did not finish before its timeout.`;
  const { resource, resourceType } = describeResource(p.resource);
  emit(rt, frame, "TaskTimedOut", { taskTimedOutEventDetails: { resource, resourceType, error, cause } });
  await failState(rt, frame, p.state, state, attemptsOf(p), { ok: false, error, cause });
}

/** A heartbeat pushes the heartbeat deadline out; it writes no history (as in Step Functions). */
export function onTaskHeartbeat(rt: Runtime, frame: Frame): void {
  const p = frame.position;
  if (p.kind !== "task" || p.heartbeatSeconds === undefined) return;
  p.heartbeatAt = rt.env.now + p.heartbeatSeconds * 1000;
}
