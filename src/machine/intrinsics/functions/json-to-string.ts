import { succeed } from "../../errors.ts";
import type { IntrinsicFunction } from "../types.ts";

/** Serialises any JSON value to its compact JSON text. */
export const jsonToString: IntrinsicFunction = {
  name: "States.JsonToString",
  minArgs: 1,
  maxArgs: 1,
  evaluate([value]) {
    return succeed(JSON.stringify(value ?? null));
  },
};
