// Map: InputPath, then ItemsPath picks the array; each item runs the ItemProcessor as a child
// frame, at most MaxConcurrency at a time (0 = unlimited), its input built by ItemSelector (or
// the older Parameters) with `$$.Map.Item`. Results land in item order. A failing iteration fails
// the state with its own error, unless ToleratedFailureCount/Percentage allow it; going past them
// is States.ExceedToleratedFailureThreshold. Then ResultSelector → ResultPath → OutputPath.
// JSONata: Items (default: the input), ItemSelector over `$states.context.Map.Item`, and the
// limits may be expressions; Output and Assign read `$states.result`.

import { errorOutput } from "../catch.ts";
import { StatesError } from "../errors.ts";
import { failState } from "../flow.ts";
import { contextFor, dropFrames, emit, newFrameId, type Runtime, stateOf } from "../runtime.ts";
import { isJsonata, type Outcome } from "../settle.ts";
import { type Attempts, attemptsOf, type Frame, type MapProgress } from "../snapshot.ts";
import type { JsonValue, MapState } from "../types.ts";
import { emitEntered } from "./common.ts";
import { itemInput } from "./map-item.ts";
import { jsonataLimits, jsonPathLimits } from "./map-limits.ts";
import { childKeyPrefix, finishResults } from "./parallel.ts";

export async function enterMap(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: MapState,
  input: JsonValue,
): Promise<void> {
  emitEntered(rt, frame, name, state, input);
  await startMap(rt, frame, name, state, {
    retries: [],
    attempt: 0,
    stateInput: input,
    enteredAt: rt.env.now,
  });
}

/** Starts the iterations: on entry and again after each retry interval. */
export async function startMap(
  rt: Runtime,
  frame: Frame,
  name: string,
  state: MapState,
  attempts: Attempts,
): Promise<void> {
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
  const limits = isJsonata(rt, state)
    ? await jsonataLimits(rt, frame, state, attempts.stateInput, context)
    : jsonPathLimits(rt, frame, state, attempts.stateInput, context);
  if (!limits.ok) return failState(rt, frame, name, state, attempts, limits);
  const progress: MapProgress = {
    ...limits.value,
    next: 0,
    active: [],
    results: limits.value.items.map(() => null),
    failures: 0,
  };
  emit(rt, frame, "MapStateStarted", { mapStateStartedEventDetails: { length: progress.items.length } });
  frame.position = { kind: "map", state: name, ...progress, ...attempts };
  await launch(rt, frame, state);
}

/** Starts iterations up to the concurrency limit, or finishes the state when all are done. */
async function launch(rt: Runtime, frame: Frame, state: MapState): Promise<void> {
  // TestState stands a mock in for the iterations: none of them runs.
  if (rt.inspection) return;
  const p = frame.position;
  if (p.kind !== "map") return;
  const processor = state.ItemProcessor ?? state.Iterator;
  while (p.next < p.items.length && (p.maxConcurrency === 0 || p.active.length < p.maxConcurrency)) {
    const index = p.next;
    const value = p.items[index] ?? null;
    const context = contextFor(rt, p.state, p.enteredAt, p.attempt, {
      Map: { Item: { Index: index, Value: value } },
    });
    const input = await itemInput(rt, frame, state, p.effectiveInput, context, value);
    // `next` stays on an item whose input failed: a redrive starts from it, not after it.
    if (!input.ok) return abortAndFail(rt, frame, state, input);
    p.next += 1;
    const startedId = emit(rt, frame, "MapIterationStarted", {
      mapIterationStartedEventDetails: { name: p.state, index },
    });
    const id = newFrameId(rt);
    rt.snap.frames[id] = {
      id,
      parent: { frameId: frame.id, index },
      scope: [...frame.scope, { state: p.state }],
      keyPrefix: childKeyPrefix(frame, p.state, p.attempt, index),
      lastEventId: startedId,
      visits: {},
      item: { index, value },
      position: { kind: "ready", state: processor?.StartAt ?? "", input: input.value },
    };
    p.active.push(id);
  }
  if (p.active.length === 0 && p.next >= p.items.length) {
    emit(rt, frame, "MapStateSucceeded", {});
    await finishResults(rt, frame, p.state, state, p.results, p);
  }
}

/**
 * After a redrive: the items not started yet start beside the restored iterations; with all of
 * them done already, the result processing that failed runs again (MapStateSucceeded was written).
 */
export async function resumeMap(rt: Runtime, frame: Frame): Promise<void> {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (p.kind !== "map" || state?.Type !== "Map") return;
  if (p.active.length > 0 || p.next < p.items.length) return launch(rt, frame, state);
  await finishResults(rt, frame, p.state, state, p.results, attemptsOf(p));
}

export async function onIterationSucceeded(
  rt: Runtime,
  frame: Frame,
  index: number,
  output: JsonValue,
  lastChildEventId: number,
): Promise<void> {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (p.kind !== "map" || state?.Type !== "Map") return;
  p.results[index] = output;
  p.active = p.active.filter((id) => rt.snap.frames[id] !== undefined);
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "MapIterationSucceeded", { mapIterationSucceededEventDetails: { name: p.state, index } });
  await launch(rt, frame, state);
}

export async function onIterationFailed(
  rt: Runtime,
  frame: Frame,
  index: number,
  error: string,
  cause: string,
  lastChildEventId: number,
): Promise<void> {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (p.kind !== "map" || state?.Type !== "Map") return;
  p.active = p.active.filter((id) => rt.snap.frames[id] !== undefined);
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "MapIterationFailed", { mapIterationFailedEventDetails: { name: p.state, index } });
  p.failures += 1;
  p.failed = [...(p.failed ?? []), index];
  p.results[index] = errorOutput(error, cause);
  if (p.toleratedCount === null && p.toleratedPercentage === null) {
    return abortAndFail(rt, frame, state, { ok: false, error, cause });
  }
  const overCount = p.toleratedCount !== null && p.failures > p.toleratedCount;
  const overPercentage =
    p.toleratedPercentage !== null && (p.failures / p.items.length) * 100 > p.toleratedPercentage;
  if (overCount || overPercentage) {
    return abortAndFail(rt, frame, state, {
      ok: false,
      error: StatesError.ExceedToleratedFailureThreshold,
      cause: `The specified tolerated failure threshold was exceeded: ${p.failures} of ${p.items.length} iterations failed.`,
    });
  }
  await launch(rt, frame, state);
}

/** Stops the running iterations (MapIterationAborted each) and fails the Map state. */
async function abortAndFail(
  rt: Runtime,
  frame: Frame,
  state: MapState,
  failure: Exclude<Outcome<never>, { ok: true }>,
): Promise<void> {
  const p = frame.position;
  if (p.kind !== "map") return;
  for (const id of p.active) {
    const child = rt.snap.frames[id];
    if (!child?.item) continue;
    emit(rt, frame, "MapIterationAborted", {
      mapIterationAbortedEventDetails: { name: p.state, index: child.item.index },
    });
    dropFrames(rt, id);
  }
  p.active = [];
  emit(rt, frame, "MapStateFailed", {});
  const attempts = attemptsOf(p);
  await failState(rt, frame, p.state, state, attempts, failure);
}
