import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, isInteger, typeName } from "../types.ts";

const NAME = "States.ArrayPartition";

/** Splits an array into chunks of `size`; the last chunk may be shorter. */
export const arrayPartition: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([items, size]) {
    if (!Array.isArray(items)) return intrinsicFailure(NAME, `expected an array, got ${typeName(items)}`);
    if (!isInteger(size) || size <= 0) {
      return intrinsicFailure(NAME, `the chunk size must be a positive integer, got ${JSON.stringify(size)}`);
    }
    const chunks: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return succeed(chunks);
  },
};
