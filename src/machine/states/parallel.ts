// Parallel: InputPath → Parameters (JSONata: Arguments); every branch starts as a child frame
// with that effective input; results are collected in branch order; the first failing branch
// stops the others and fails the state with the branch's own error (then Retry/Catch on the
// Parallel state apply). Then ResultSelector → Assign → ResultPath → OutputPath (JSONata: Assign
// and Output over `$states.result`). Branches read the outer variables; theirs stay inside.

import { withinDataLimit } from "../data-limit.ts";
import { exitState, failState } from "../flow.ts";
import { applyInputPath, applyOutputPath, applyResultPath, applyTemplate } from "../io.ts";
import { variablesOf } from "../query/variables.ts";
import {
  contextFor,
  dropFrames,
  emit,
  inspect,
  newFrameId,
  type Runtime,
  stateOf,
  visitedName,
} from "../runtime.ts";
import { assignJsonPath, isJsonata, type Outcome, settleJsonata } from "../settle.ts";
import { type Attempts, attemptsOf, type Frame } from "../snapshot.ts";
import type { JsonValue, MapState, ParallelState } from "../types.ts";
import { emitEntered, jsonataArguments } from "./common.ts";

export async function enterParallel(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  await startParallel(rt, frame, name, state, {
    retries: [],
    attempt: 0,
    stateInput: input,
    enteredAt: rt.env.now,
  });
}

/** Starts all branches: on entry and again after each retry interval. */
export async function startParallel(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState,
  attempts: Attempts,
): Promise<void> {
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
  let parameters: Outcome<JsonValue>;
  if (isJsonata(rt, state)) {
    parameters = await jsonataArguments(rt, frame, state.Arguments, { input: attempts.stateInput }, context);
    if (parameters.ok) inspect(rt, "afterArguments", parameters.value);
  } else {
    const effective = applyInputPath(attempts.stateInput, state.InputPath, context);
    if (effective.ok) inspect(rt, "afterInputPath", effective.value);
    parameters = effective.ok
      ? applyTemplate(state.Parameters, effective.value, context, rt.env.random, variablesOf(rt, frame))
      : effective;
    if (parameters.ok) inspect(rt, "afterParameters", parameters.value);
  }
  if (!parameters.ok) return failState(rt, frame, name, state, attempts, parameters);
  const fits = withinDataLimit(parameters.value, `The state '${name}' input after Parameters`);
  if (!fits.ok) return failState(rt, frame, name, state, attempts, fits);
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

export async function onBranchSucceeded(
  rt: Runtime,
  frame: Frame,
  index: number,
  output: JsonValue,
  lastChildEventId: number,
): Promise<void> {
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
  await finishResults(rt, frame, p.state, state, p.results, attempts);
}

export async function onBranchFailed(
  rt: Runtime,
  frame: Frame,
  _index: number,
  error: string,
  cause: string,
  lastChildEventId: number,
): Promise<void> {
  const p = frame.position;
  if (p.kind !== "parallel") return;
  for (const child of p.children) if (child !== null) dropFrames(rt, child);
  const state = stateOf(rt, frame, p.state);
  if (state?.Type !== "Parallel") return;
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "ParallelStateFailed", {});
  const attempts = attemptsOf(p);
  await failState(rt, frame, p.state, state, attempts, { ok: false, error, cause });
}

/** After a redrive: with every branch finished, the result processing that failed runs again. */
export async function resumeParallel(rt: Runtime, frame: Frame): Promise<void> {
  const p = frame.position;
  if (p.kind !== "parallel" || p.children.some((child) => child !== null)) return;
  const state = stateOf(rt, frame, p.state);
  if (state?.Type !== "Parallel") return;
  await finishResults(rt, frame, p.state, state, p.results, attemptsOf(p));
}

/**
 * ResultSelector → Assign → ResultPath → OutputPath over the collected results (Parallel and Map);
 * JSONata: Assign and Output over `$states.result`.
 */
export async function finishResults(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: ParallelState | MapState,
  results: JsonValue[],
  attempts: Attempts,
): Promise<void> {
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
  inspect(rt, "result", results);
  if (isJsonata(rt, state)) {
    const states = { input: attempts.stateInput, result: results };
    const settled = await settleJsonata(rt, frame, state, results, states, context);
    if (!settled.ok) return failState(rt, frame, name, state, attempts, settled);
    return exitState(rt, frame, name, state, settled.value.output, attempts, settled.value.assigned);
  }
  const selected = applyTemplate(
    state.ResultSelector,
    results,
    context,
    rt.env.random,
    variablesOf(rt, frame),
  );
  if (!selected.ok) return failState(rt, frame, name, state, attempts, selected);
  inspect(rt, "afterResultSelector", selected.value);
  const assigned = assignJsonPath(rt, frame, state.Assign, selected.value, context);
  if (!assigned.ok) return failState(rt, frame, name, state, attempts, assigned);
  const combined = applyResultPath(attempts.stateInput, selected.value, state.ResultPath);
  if (!combined.ok) return failState(rt, frame, name, state, attempts, combined);
  inspect(rt, "afterResultPath", combined.value);
  const output = applyOutputPath(combined.value, state.OutputPath, context);
  if (!output.ok) return failState(rt, frame, name, state, attempts, output);
  return exitState(rt, frame, name, state, output.value, attempts, assigned.value);
}
