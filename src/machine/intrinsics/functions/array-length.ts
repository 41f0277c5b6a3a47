import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.ArrayLength";

export const arrayLength: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([items]) {
    if (!Array.isArray(items)) return intrinsicFailure(NAME, `expected an array, got ${typeName(items)}`);
    return succeed(items.length);
  },
};
