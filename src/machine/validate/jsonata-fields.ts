// Field checks shared by JSONata states, their Choice rules and their catchers.

import { expressionOf } from "../query/expression.ts";
import type { StateCheck } from "./context.ts";
import { at } from "./diagnostics.ts";
import { describe, isInteger, isObject, type JsonObject } from "./json.ts";
import { checkExpressions } from "./jsonata.ts";

/** `Output` (any JSON) and `Assign` (an object) of a state, rule or catcher: expressions, variables. */
export function checkJsonataOutputs({ ctx }: StateCheck, object: JsonObject, pointer: string): void {
  const uses = ctx.variables.uses;
  if (object.Output !== undefined) checkExpressions(ctx.diags, object.Output, at(pointer, "Output"), uses);
  if (object.Assign === undefined) return;
  if (!isObject(object.Assign)) {
    ctx.diags.error(
      "INVALID_TYPE",
      at(pointer, "Assign"),
      `Assign must be an object, not ${describe(object.Assign)}`,
    );
    return;
  }
  ctx.variables.assign(object.Assign, at(pointer, "Assign"), ctx.diags);
  checkExpressions(ctx.diags, object.Assign, at(pointer, "Assign"), uses);
}

/** A number field of a JSONata state: a literal in [min, max], or an expression (checked at run time). */
export function checkNumberOrExpression(
  { ctx, state, pointer }: StateCheck,
  key: string,
  min: number,
  max: number,
  integer = true,
): void {
  const value = state[key];
  if (value === undefined) return;
  if (typeof value === "string") {
    if (expressionOf(value) === undefined) {
      ctx.diags.error(
        "INVALID_TYPE",
        at(pointer, key),
        `${key} must be ${integer ? "an integer" : "a number"} or a JSONata expression "{% … %}"`,
      );
    }
    return;
  }
  const fits = integer ? isInteger(value) : typeof value === "number";
  if (!fits) {
    ctx.diags.error(
      "INVALID_TYPE",
      at(pointer, key),
      `${key} must be ${integer ? "an integer" : "a number"}, not ${describe(value)}`,
    );
  } else if ((value as number) < min || (value as number) > max) {
    ctx.diags.error("INVALID_VALUE", at(pointer, key), `${key} must be between ${min} and ${max}`);
  }
}
