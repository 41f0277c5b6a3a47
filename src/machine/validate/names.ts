// State names are unique across the whole machine, nested scopes included (spec: "State names
// MUST be unique within the scope of the whole state machine"), so they are gathered first.

import { at } from "./diagnostics.ts";
import { isObject } from "./json.ts";

export interface NamedState {
  name: string;
  pointer: string;
}

export function collectStateNames(scope: unknown, pointer: string, out: NamedState[] = []): NamedState[] {
  if (!isObject(scope) || !isObject(scope.States)) return out;
  const statesPointer = at(pointer, "States");
  for (const [name, state] of Object.entries(scope.States)) {
    const statePointer = at(statesPointer, name);
    out.push({ name, pointer: statePointer });
    if (!isObject(state)) continue;
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, index) => {
        collectStateNames(branch, at(at(statePointer, "Branches"), index), out);
      });
    }
    for (const key of ["ItemProcessor", "Iterator"])
      collectStateNames(state[key], at(statePointer, key), out);
  }
  return out;
}
