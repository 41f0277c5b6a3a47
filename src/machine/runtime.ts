// The working context of one `step` call. `step` deep-copies the stored snapshot into `snap` and
// the state handlers mutate that draft freely: the function stays pure from the outside (same
// snapshot + event + env → same result) while the handlers read like the spec.

import type { Effect, StepEnv } from "./effects.ts";
import type { EventDetailsByType, HistoryEvent, HistoryEventType } from "./events.ts";
import { keepHalted } from "./halted.ts";
import type { ContextObject } from "./paths/context.ts";
import type { ExecutionSnapshot, Frame } from "./snapshot.ts";
import type { JsonObject, JsonValue, State, StateMachineDefinition, SubMachine } from "./types.ts";

/**
 * How a Parallel or Map state hears that one of its branches or iterations ended. step.ts wires
 * in states/child-ends.ts, so flow.ts (which those states use) never imports them.
 */
export interface ChildEnds {
  succeeded(rt: Runtime, parent: Frame, index: number, output: JsonValue, lastEventId: number): Promise<void>;
  failed(
    rt: Runtime,
    parent: Frame,
    index: number,
    error: string,
    cause: string,
    lastEventId: number,
  ): Promise<void>;
}

export interface Runtime {
  definition: StateMachineDefinition;
  snap: ExecutionSnapshot;
  env: Required<StepEnv>;
  events: HistoryEvent[];
  effects: Effect[];
  children: ChildEnds;
  /** Set by TestState only: what each data-flow stage produced, and how an error was handled. */
  inspection?: Inspection;
  /** Set by TestState only: members of `$$` the caller supplied (merged over the computed ones). */
  contextOverride?: JsonObject;
}

/** The data-flow stages TestState reports (Step Functions' InspectionData members). */
export type InspectionStage =
  | "afterInputPath"
  | "afterParameters"
  | "afterArguments"
  | "result"
  | "afterResultSelector"
  | "afterResultPath"
  | "afterItemsPath";

export interface Inspection {
  stages: Partial<Record<InspectionStage, JsonValue>>;
  /** The error a Retry took (with the retrier's index and its interval), or a Catch caught. */
  retried?: { error: string; cause: string; index: number; delayMs: number };
  caught?: { error: string; cause: string; index: number };
}

/** Records a stage's value when TestState is watching; a no-op in executions. */
export function inspect(rt: Runtime, stage: InspectionStage, value: JsonValue): void {
  if (rt.inspection) rt.inspection.stages[stage] = value;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/**
 * `$$.Execution.RoleArn`. edgestate has no IAM roles: executions act with their tenant's rights.
 * The field is there (AWS always sets it) so definitions that read it keep working.
 */
export const EXECUTION_ROLE_ARN = "arn:edgestate:iam:::role/edgestate-execution";

/** Appends a history event, chaining previousEventId within `frame` (or the root frame). */
export function emit<T extends HistoryEventType>(
  rt: Runtime,
  frame: Frame | null,
  type: T,
  details: EventDetailsByType[T],
): number {
  const chain = frame ?? rt.snap.frames[rt.snap.rootFrameId];
  const id = ++rt.snap.eventCounter;
  const event = {
    id,
    previousEventId: chain?.lastEventId ?? id - 1,
    timestamp: isoTime(rt.env.now),
    type,
    ...details,
  } as HistoryEvent;
  rt.events.push(event);
  if (chain) chain.lastEventId = id;
  return id;
}

/** The (sub-)machine a frame runs: follow its scope from the top-level definition. */
export function machineOf(rt: Runtime, frame: Frame): SubMachine {
  let machine: SubMachine = rt.definition;
  for (const step of frame.scope) {
    const state = machine.States[step.state];
    if (state?.Type === "Parallel") {
      const branch = state.Branches[step.branch ?? 0];
      if (!branch) throw new Error(`branch ${step.branch} of ${step.state} does not exist`);
      machine = branch;
    } else if (state?.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (!processor) throw new Error(`Map state ${step.state} has no ItemProcessor`);
      machine = processor;
    } else {
      throw new Error(`scope step ${step.state} is not a Parallel or Map state`);
    }
  }
  return machine;
}

/**
 * Looks a state up. The definition was validated, so a missing state is a broken invariant;
 * it still surfaces as a value (undefined) so the caller can fail the execution cleanly.
 */
export function stateOf(rt: Runtime, frame: Frame, name: string): State | undefined {
  return machineOf(rt, frame).States[name];
}

export function newFrameId(rt: Runtime): string {
  rt.snap.frameCounter += 1;
  return `f${rt.snap.frameCounter}`;
}

export function newTaskId(rt: Runtime): string {
  rt.snap.taskCounter += 1;
  return `t${rt.snap.taskCounter}`;
}

/** Builds `$$` for a state entered at `enteredAt` and retried `retryCount` times. */
export function contextFor(
  rt: Runtime,
  stateName: string,
  enteredAt: number,
  retryCount: number,
  extra: Pick<ContextObject, "Map" | "Task"> = {},
): ContextObject {
  const { execution } = rt.snap;
  const context: ContextObject = {
    Execution: {
      Id: execution.id,
      Name: execution.name,
      Input: execution.input,
      StartTime: isoTime(execution.startedAt),
      RoleArn: EXECUTION_ROLE_ARN,
      RedriveCount: execution.redriveCount ?? 0,
    },
    StateMachine: { Id: execution.machineId, Name: execution.machineName },
    State: { Name: stateName, EnteredTime: isoTime(enteredAt), RetryCount: retryCount },
    ...extra,
  };
  return rt.contextOverride ? overridden(context, rt.contextOverride) : context;
}

/** TestState's `context`: each member it names replaces the computed one, field by field. */
function overridden(context: ContextObject, override: JsonObject): ContextObject {
  const merged: Record<string, unknown> = { ...context };
  for (const [key, value] of Object.entries(override)) {
    const base = merged[key];
    const both = isObject(base) && isObject(value);
    merged[key] = both ? { ...(base as object), ...(value as object) } : value;
  }
  return merged as unknown as ContextObject;
}

const isObject = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);

/** `Name#n` from the second visit on, so a loop's calls get distinct idempotency keys. */
export function visitedName(frame: Frame, stateName: string): string {
  const visits = frame.visits[stateName] ?? 1;
  return visits > 1 ? `${stateName}#${visits}` : stateName;
}

/** Frame ids of `frameId` and every frame below it, deepest last. */
export function frameTree(rt: Runtime, frameId: string): string[] {
  const ids = [frameId];
  for (let i = 0; i < ids.length; i++) {
    for (const frame of Object.values(rt.snap.frames)) {
      if (frame.parent?.frameId === ids[i]) ids.push(frame.id);
    }
  }
  return ids;
}

/**
 * Removes frames (aborted branches/iterations): their tasks' late answers are then ignored. They
 * are kept for a redrive (halted.ts) unless what they belonged to recovers.
 */
export function dropFrames(rt: Runtime, frameId: string): void {
  for (const id of frameTree(rt, frameId)) {
    const frame = rt.snap.frames[id];
    if (frame) keepHalted(rt.snap, frame);
    delete rt.snap.frames[id];
  }
}
