import { succeed } from "../../errors.ts";
import { isObject } from "../../paths/json-path-evaluate.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.JsonMerge";

/**
 * Shallow merge: keys of the second object replace those of the first. The third argument is
 * the deep-merge flag; Step Functions supports only `false`, so anything else is refused.
 */
export const jsonMerge: IntrinsicFunction = {
  name: NAME,
  minArgs: 3,
  maxArgs: 3,
  evaluate([left, right, deep]) {
    if (!isObject(left) || !isObject(right)) {
      return intrinsicFailure(
        NAME,
        `both values must be objects, got ${typeName(left)} and ${typeName(right)}`,
      );
    }
    if (deep !== false) return intrinsicFailure(NAME, "only shallow merging is supported: pass false");
    return succeed({ ...left, ...right });
  },
};
