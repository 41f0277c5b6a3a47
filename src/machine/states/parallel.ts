// Parallel: InputPath → Parameters; every branch starts as a child frame with that effective
// input; results are collected in branch order; the first failing branch stops the others and
// fails the state with the branch's own error (then Retry/Catch on the Parallel state apply).
// Then ResultSelector → ResultPath → OutputPath.

import { exitState, failState } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate } from "../io.ts";
import { contextFor, dropFrames, emit, newFrameId, type Runtime, stateOf, visitedName } from "../runtime.ts";
import { type Attempts, attemptsOf, type Frame } from "../snapshot.ts";
import type { JsonValue, MapState, ParallelState } from "../types.ts";
import { emitEntered } from "./common.ts";

export function enterParallel(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState,
  input: JsonValue,
): void {
  emitEntered(rt, frame, name, state, input);
  startParallel(rt, frame, name, state, {
    retries: [],
    attempt: 0,
    stateInput: input,
    enteredAt: rt.env.now,
  });
}

/** Starts all branches: on entry and again after each retry interval. */
export function startParallel(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState,
  attempts: Attempts,
): void {
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
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
  const startedId = emit(rt, frame, "ParallelStateStarted", {});
  const children = state.Branches.map((branch, index) => {
    const id = newFrameId(rt);
    rt.snap.frames[id] = {
      id,
      parent: { frameId: frame.id, index },
      scope: [...frame.scope, { state: name, branch: index }],
      keyPrefix: childKeyPrefix(frame, name, attempts.attempt, index),
      lastEventId: startedId,
      visits: {},
      position: { kind: "ready", state: branch.StartAt, input: parameters.value },
    };
    return id;
  });
  frame.position = {
    kind: "parallel",
    state: name,
    children,
    results: state.Branches.map(() => null),
    ...attempts,
  };
}

/** `Par[1]/`, `Par#2@1[0]/`: unique per visit, attempt and index, so retried branches re-call. */
export function childKeyPrefix(frame: Frame, name: string, attempt: number, index: number): string {
  return `${frame.keyPrefix}${visitedName(frame, name)}${attempt > 0 ? `@${attempt}` : ""}[${index}]/`;
}

export function onBranchSucceeded(
  rt: Runtime,
  frame: Frame,
  index: number,
  output: JsonValue,
  lastChildEventId: number,
): void {
  const p = frame.position;
  if (p.kind !== "parallel") return;
  p.results[index] = output;
  p.children[index] = null;
  if (p.children.some((child) => child !== null)) return;
  const state = stateOf(rt, frame, p.state);
  if (state?.Type !== "Parallel") return;
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "ParallelStateSucceeded", {});
  const attempts = attemptsOf(p);
  finishResults(rt, frame, p.state, state, p.results, attempts);
}

export function onBranchFailed(
  rt: Runtime,
  frame: Frame,
  _index: number,
  error: string,
  cause: string,
  lastChildEventId: number,
): void {
  const p = frame.position;
  if (p.kind !== "parallel") return;
  for (const child of p.children) if (child !== null) dropFrames(rt, child);
  const state = stateOf(rt, frame, p.state);
  if (state?.Type !== "Parallel") return;
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "ParallelStateFailed", {});
  const attempts = attemptsOf(p);
  failState(rt, frame, p.state, state, attempts, error, cause);
}

/** ResultSelector → ResultPath → OutputPath over the collected results (Parallel and Map). */
export function finishResults(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState | MapState,
  results: JsonValue[],
  attempts: Attempts,
): void {
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
  const selected = applyTemplate(state.ResultSelector, results, context, rt.env.random);
  if (!selected.ok) {
    failState(rt, frame, name, state, attempts, selected.error, selected.cause);
    return;
  }
  const combined = applyResultPath(attempts.stateInput, selected.value, state.ResultPath);
  if (!combined.ok) {
    failState(rt, frame, name, state, attempts, combined.error, combined.cause);
    return;
  }
  const output = applyOutputPath(combined.value, state.OutputPath);
  if (!output.ok) {
    failState(rt, frame, name, state, attempts, output.error, output.cause);
    return;
  }
  exitState(rt, frame, name, state, output.value, attempts);
}
