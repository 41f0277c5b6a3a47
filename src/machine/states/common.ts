import { NOT_TRUNCATED, STATE_EVENT_NAMES } from "../events.ts";
import type { ContextObject } from "../paths/context.ts";
import { contextFor, emit, type Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue, State } from "../types.ts";

/** Emits `<Type>StateEntered` with the state's raw input. */
export function emitEntered(rt: Runtime, frame: Frame, name: string, state: State, input: JsonValue): void {
  emit(rt, frame, STATE_EVENT_NAMES[state.Type].entered, {
    stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: NOT_TRUNCATED },
  });
}

/** `$$` for a state entered now, on its first attempt (states without Retry). */
export const freshContext = (rt: Runtime, name: string): ContextObject => contextFor(rt, name, rt.env.now, 0);
