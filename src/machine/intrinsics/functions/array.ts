import { succeed } from "../../errors.ts";
import type { IntrinsicFunction } from "../types.ts";

/** `States.Array('Foo', 2020, $.someJson, null)` → the arguments as one array. */
export const array: IntrinsicFunction = {
  name: "States.Array",
  minArgs: 0,
  maxArgs: Number.POSITIVE_INFINITY,
  evaluate(args) {
    return succeed([...args]);
  },
};
