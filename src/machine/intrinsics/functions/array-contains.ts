import { succeed } from "../../errors.ts";
import { deepEqual } from "../../paths/json-path-evaluate.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.ArrayContains";

/** True when the array holds a value structurally equal to the second argument. */
export const arrayContains: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([items, value]) {
    if (!Array.isArray(items)) return intrinsicFailure(NAME, `expected an array, got ${typeName(items)}`);
    return succeed(items.some((item) => deepEqual(item, value)));
  },
};
