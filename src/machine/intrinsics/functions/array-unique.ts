import { succeed } from "../../errors.ts";
import { deepEqual } from "../../paths/json-path-evaluate.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.ArrayUnique";

/** Removes duplicates (structural equality), keeping each value's first occurrence in order. */
export const arrayUnique: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([items]) {
    if (!Array.isArray(items)) return intrinsicFailure(NAME, `expected an array, got ${typeName(items)}`);
    const unique: unknown[] = [];
    for (const item of items) if (!unique.some((seen) => deepEqual(seen, item))) unique.push(item);
    return succeed(unique);
  },
};
