import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, isInteger } from "../types.ts";

const NAME = "States.ArrayRange";
/** Step Functions refuses ranges of more than 1000 items. */
export const MAX_RANGE_ITEMS = 1000;

/** `States.ArrayRange(1, 9, 2)` → `[1,3,5,7,9]`: first, last (inclusive) and a non-zero step. */
export const arrayRange: IntrinsicFunction = {
  name: NAME,
  minArgs: 3,
  maxArgs: 3,
  evaluate([first, last, step]) {
    if (!isInteger(first) || !isInteger(last) || !isInteger(step)) {
      return intrinsicFailure(NAME, "all three arguments must be integers");
    }
    if (step === 0) return intrinsicFailure(NAME, "the step must not be 0");
    const count = Math.max(0, Math.floor((last - first) / step) + 1);
    if (count > MAX_RANGE_ITEMS) {
      return intrinsicFailure(NAME, `the range has ${count} items; at most ${MAX_RANGE_ITEMS} are allowed`);
    }
    return succeed(Array.from({ length: count }, (_, i) => first + i * step));
  },
};
