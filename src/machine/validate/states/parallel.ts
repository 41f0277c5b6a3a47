import { requireField } from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";

export function checkParallel({ ctx, state, pointer }: StateCheck): void {
  if (!requireField(ctx.diags, state, "Branches", pointer, "A Parallel state")) return;
  const branches = state.Branches;
  const p = at(pointer, "Branches");
  if (!Array.isArray(branches) || branches.length === 0) {
    ctx.diags.error("INVALID_TYPE", p, "Branches must be a non-empty array of state machines");
    return;
  }
  branches.forEach((branch, index) => {
    ctx.scope(branch, at(p, index), "branch");
  });
}
