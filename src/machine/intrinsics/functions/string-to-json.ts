import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.StringToJson";

/** Parses a JSON string into a value: `"{\"foo\": \"bar\"}"` → `{"foo":"bar"}`. */
export const stringToJson: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([text]) {
    if (typeof text !== "string") return intrinsicFailure(NAME, `expected a string, got ${typeName(text)}`);
    try {
      return succeed(JSON.parse(text) as unknown);
    } catch {
      // JSON.parse's message differs between engines; the cause names the input instead.
      return intrinsicFailure(NAME, `the string is not valid JSON: ${text.slice(0, 100)}`);
    }
  },
};
