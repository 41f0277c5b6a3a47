import { requireField } from "../checks.ts";
import { checkChoiceRule } from "../choice-rules.ts";
import type { StateCheck } from "../context.ts";
import { at } from "../diagnostics.ts";

export function checkChoice({ ctx, state, pointer, edges }: StateCheck): void {
  const diags = ctx.diags;
  if (requireField(diags, state, "Choices", pointer, "A Choice state")) {
    const choices = state.Choices;
    const p = at(pointer, "Choices");
    if (!Array.isArray(choices) || choices.length === 0)
      diags.error("INVALID_TYPE", p, "Choices must be a non-empty array of Choice rules");
    else {
      choices.forEach((rule, index) => {
        checkChoiceRule(diags, rule, at(p, index), edges);
      });
    }
  }
  const fallback = state.Default;
  if (typeof fallback === "string") edges.push({ target: fallback, pointer: at(pointer, "Default") });
  else if (fallback !== undefined)
    diags.error("INVALID_TYPE", at(pointer, "Default"), "Default must be a state name");
}
