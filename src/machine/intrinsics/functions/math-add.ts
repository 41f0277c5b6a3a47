import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure } from "../types.ts";

const NAME = "States.MathAdd";

/** The sum of two integers. AWS rounds non-integer arguments to the nearest integer first. */
export const mathAdd: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([a, b]) {
    if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) {
      return intrinsicFailure(NAME, "both arguments must be numbers");
    }
    const sum = Math.round(a) + Math.round(b);
    if (!Number.isSafeInteger(sum)) return intrinsicFailure(NAME, "the sum is out of the integer range");
    return succeed(sum);
  },
};
