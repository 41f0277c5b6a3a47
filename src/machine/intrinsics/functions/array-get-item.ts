import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, isInteger, typeName } from "../types.ts";

const NAME = "States.ArrayGetItem";

/** The element at a zero-based index; an index outside the array is an error, not null. */
export const arrayGetItem: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([items, index]) {
    if (!Array.isArray(items)) return intrinsicFailure(NAME, `expected an array, got ${typeName(items)}`);
    if (!isInteger(index) || index < 0) {
      return intrinsicFailure(NAME, `the index must be a non-negative integer, got ${JSON.stringify(index)}`);
    }
    if (index >= items.length) {
      return intrinsicFailure(NAME, `index ${index} is out of bounds for an array of length ${items.length}`);
    }
    return succeed(items[index]);
  },
};
