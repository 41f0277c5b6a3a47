// Where a branch's or an iteration's end goes: to the Parallel or Map state waiting for it.
import type { ChildEnds } from "../runtime.ts";
import { onIterationFailed, onIterationSucceeded } from "./map.ts";
import { onBranchFailed, onBranchSucceeded } from "./parallel.ts";

export const childEnds: ChildEnds = {
  async succeeded(rt, parent, index, output, lastEventId) {
    if (parent.position.kind === "parallel") await onBranchSucceeded(rt, parent, index, output, lastEventId);
    else if (parent.position.kind === "map")
      await onIterationSucceeded(rt, parent, index, output, lastEventId);
  },
  async failed(rt, parent, index, error, cause, lastEventId) {
    if (parent.position.kind === "parallel")
      await onBranchFailed(rt, parent, index, error, cause, lastEventId);
    else if (parent.position.kind === "map")
      await onIterationFailed(rt, parent, index, error, cause, lastEventId);
  },
};
