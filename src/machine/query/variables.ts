// Variables (`Assign`), with Step Functions' scope rules: each frame (the top-level machine, a
// Parallel branch, a Map iteration) keeps its own assignments; it reads its parents' variables too
// (a parent waits while its children run, so they cannot change underneath), and its own
// assignments end with it: nothing leaks out of a branch or an iteration except through Output.

import { nestingDepth } from "../../core/json/parse-json.ts";
import { MAX_PAYLOAD_DEPTH } from "../data-limit.ts";
import { failWith, StatesError, type StatesResult, succeed } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { Frame } from "../snapshot.ts";
import type { JsonValue } from "../types.ts";

/** Step Functions: one variable, and everything one Assign field sets, at most 256 KiB. */
export const MAX_VARIABLE_BYTES = 262_144;

const encoder = new TextEncoder();

/** Every variable `frame` can read, outer scopes first so inner assignments win. */
export function variablesOf(rt: Runtime, frame: Frame): Record<string, JsonValue> {
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent ? rt.snap.frames[f.parent.frameId] : undefined) {
    chain.unshift(f);
  }
  const out: Record<string, JsonValue> = {};
  for (const f of chain) Object.assign(out, f.variables);
  return out;
}

/** The size limits; the assignment is all or nothing. */
export function checkAssignment(
  assigned: Record<string, JsonValue>,
): StatesResult<Record<string, JsonValue>> {
  let total = 0;
  for (const [name, value] of Object.entries(assigned)) {
    const text = JSON.stringify(value);
    const bytes = encoder.encode(text).length;
    total += bytes;
    // The nesting bound every state output has (data-limit.ts), for the same reason: a variable
    // 40,000 levels deep fits in 256 KiB, and the shell's recursive handling of the snapshot then
    // overflowed the stack (StartExecution answered 500) instead of failing the state.
    if (bytes <= MAX_VARIABLE_BYTES && nestingDepth(text, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH) {
      return failWith(
        StatesError.DataLimitExceeded,
        `The variable '${name}' is nested deeper than ${MAX_PAYLOAD_DEPTH} levels.`,
      );
    }
    if (bytes > MAX_VARIABLE_BYTES) {
      return failWith(
        StatesError.DataLimitExceeded,
        `The variable '${name}' has a size of ${bytes} bytes, exceeding the maximum of ${MAX_VARIABLE_BYTES} bytes.`,
      );
    }
  }
  if (total > MAX_VARIABLE_BYTES) {
    return failWith(
      StatesError.DataLimitExceeded,
      `The variables assigned by one state have a size of ${total} bytes, exceeding the maximum of ${MAX_VARIABLE_BYTES} bytes.`,
    );
  }
  return succeed(assigned);
}

export function assignVariables(frame: Frame, assigned: Record<string, JsonValue> | undefined): void {
  if (!assigned || Object.keys(assigned).length === 0) return;
  frame.variables = { ...frame.variables, ...assigned };
}

/** `assignedVariables` of a StateExited event: name → JSON text, as Step Functions records them. */
export function assignedVariablesDetails(
  assigned: Record<string, JsonValue> | undefined,
):
  | { assignedVariables: Record<string, string>; assignedVariablesDetails: { truncated: boolean } }
  | undefined {
  if (!assigned || Object.keys(assigned).length === 0) return undefined;
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(assigned)) texts[name] = JSON.stringify(value);
  return { assignedVariables: texts, assignedVariablesDetails: { truncated: false } };
}
