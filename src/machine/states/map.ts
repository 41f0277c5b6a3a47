// Map: InputPath, then ItemsPath picks the array; each item runs the ItemProcessor as a child
// frame, at most MaxConcurrency at a time (0 = unlimited), its input built by ItemSelector (or
// the older Parameters) with `$$.Map.Item`. Results land in item order. A failing iteration fails
// the state with its own error, unless ToleratedFailureCount/Percentage allow it; going past them
// is States.ExceedToleratedFailureThreshold. Then ResultSelector → ResultPath → OutputPath.

import { errorOutput } from "../catch.ts";
import { StatesError } from "../errors.ts";
import { failState } from "../flow.ts";
import { applyInputPath, applyTemplate, readPath } from "../io.ts";
import { contextFor, dropFrames, emit, newFrameId, type Runtime, stateOf } from "../runtime.ts";
import { type Attempts, attemptsOf, type Frame, type MapProgress } from "../snapshot.ts";
import type { JsonValue, MapState } from "../types.ts";
import { emitEntered } from "./common.ts";
import { childKeyPrefix, finishResults } from "./parallel.ts";

export function enterMap(rt: Runtime, frame: Frame, name: string, state: MapState, input: JsonValue): void {
  emitEntered(rt, frame, name, state, input);
  startMap(rt, frame, name, state, { retries: [], attempt: 0, stateInput: input, enteredAt: rt.env.now });
}

/** Starts the iterations: on entry and again after each retry interval. */
export function startMap(rt: Runtime, frame: Frame, name: string, state: MapState, attempts: Attempts): void {
  const fail = (error: string, cause: string) => failState(rt, frame, name, state, attempts, error, cause);
  const context = contextFor(rt, name, attempts.enteredAt, attempts.attempt);
  const effective = applyInputPath(attempts.stateInput, state.InputPath, context);
  if (!effective.ok) {
    fail(effective.error, effective.cause);
    return;
  }
  const read = (path: string) => readPath(effective.value, path, context);
  const items = read(state.ItemsPath ?? "$");
  if (!items.found || !Array.isArray(items.value)) {
    fail(StatesError.Runtime, `The ItemsPath '${state.ItemsPath ?? "$"}' did not select an array.`);
    return;
  }
  const number = (literal: number | undefined, path: string | undefined): number | null | { bad: string } => {
    if (path === undefined) return literal ?? null;
    const r = read(path);
    return r.found && typeof r.value === "number" && r.value >= 0 ? r.value : { bad: path };
  };
  const maxConcurrency = number(state.MaxConcurrency, state.MaxConcurrencyPath);
  const toleratedCount = number(state.ToleratedFailureCount, state.ToleratedFailureCountPath);
  const toleratedPercentage = number(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath);
  for (const value of [maxConcurrency, toleratedCount, toleratedPercentage]) {
    if (value !== null && typeof value === "object") {
      fail(StatesError.Runtime, `The path '${value.bad}' did not select a non-negative number.`);
      return;
    }
  }
  const progress: MapProgress = {
    effectiveInput: effective.value,
    items: items.value,
    next: 0,
    active: [],
    results: items.value.map(() => null),
    failures: 0,
    maxConcurrency: typeof maxConcurrency === "number" ? maxConcurrency : 0,
    toleratedCount: typeof toleratedCount === "number" ? toleratedCount : null,
    toleratedPercentage: typeof toleratedPercentage === "number" ? toleratedPercentage : null,
  };
  emit(rt, frame, "MapStateStarted", { mapStateStartedEventDetails: { length: items.value.length } });
  frame.position = { kind: "map", state: name, ...progress, ...attempts };
  launch(rt, frame, state);
}

/** Starts iterations up to the concurrency limit, or finishes the state when all are done. */
function launch(rt: Runtime, frame: Frame, state: MapState): void {
  const p = frame.position;
  if (p.kind !== "map") return;
  const processor = state.ItemProcessor ?? state.Iterator;
  const selector = state.ItemSelector ?? state.Parameters;
  while (p.next < p.items.length && (p.maxConcurrency === 0 || p.active.length < p.maxConcurrency)) {
    const index = p.next++;
    const value = p.items[index] ?? null;
    const context = contextFor(rt, p.state, p.enteredAt, p.attempt, {
      Map: { Item: { Index: index, Value: value } },
    });
    let input: JsonValue = value;
    if (selector !== undefined) {
      const built = applyTemplate(selector, p.effectiveInput, context, rt.env.random);
      if (!built.ok) {
        abortAndFail(rt, frame, state, built.error, built.cause);
        return;
      }
      input = built.value;
    }
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
      position: { kind: "ready", state: processor?.StartAt ?? "", input },
    };
    p.active.push(id);
  }
  if (p.active.length === 0 && p.next >= p.items.length) {
    emit(rt, frame, "MapStateSucceeded", {});
    finishResults(rt, frame, p.state, state, p.results, p);
  }
}

export function onIterationSucceeded(
  rt: Runtime,
  frame: Frame,
  index: number,
  output: JsonValue,
  lastChildEventId: number,
): void {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (p.kind !== "map" || state?.Type !== "Map") return;
  p.results[index] = output;
  p.active = p.active.filter((id) => rt.snap.frames[id] !== undefined);
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "MapIterationSucceeded", { mapIterationSucceededEventDetails: { name: p.state, index } });
  launch(rt, frame, state);
}

export function onIterationFailed(
  rt: Runtime,
  frame: Frame,
  index: number,
  error: string,
  cause: string,
  lastChildEventId: number,
): void {
  const p = frame.position;
  const state = stateOf(rt, frame, p.state);
  if (p.kind !== "map" || state?.Type !== "Map") return;
  p.active = p.active.filter((id) => rt.snap.frames[id] !== undefined);
  frame.lastEventId = lastChildEventId;
  emit(rt, frame, "MapIterationFailed", { mapIterationFailedEventDetails: { name: p.state, index } });
  p.failures += 1;
  p.results[index] = errorOutput(error, cause);
  if (p.toleratedCount === null && p.toleratedPercentage === null) {
    abortAndFail(rt, frame, state, error, cause);
    return;
  }
  const overCount = p.toleratedCount !== null && p.failures > p.toleratedCount;
  const overPercentage =
    p.toleratedPercentage !== null && (p.failures / p.items.length) * 100 > p.toleratedPercentage;
  if (overCount || overPercentage) {
    abortAndFail(
      rt,
      frame,
      state,
      StatesError.ExceedToleratedFailureThreshold,
      `The specified tolerated failure threshold was exceeded: ${p.failures} of ${p.items.length} iterations failed.`,
    );
    return;
  }
  launch(rt, frame, state);
}

/** Stops the running iterations (MapIterationAborted each) and fails the Map state. */
function abortAndFail(rt: Runtime, frame: Frame, state: MapState, error: string, cause: string): void {
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
  failState(rt, frame, p.state, state, attempts, error, cause);
}
