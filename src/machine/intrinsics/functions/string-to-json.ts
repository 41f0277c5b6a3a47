import { parseJson } from "../../../core/json/parse-json.ts";
import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.StringToJson";

/**
 * Parses a JSON string into a value: `"{\"foo\": \"bar\"}"` → `{"foo":"bar"}`. The result obeys
 * the same rules as a request body (at most MAX_JSON_DEPTH levels deep, finite numbers): a value nested
 * thousands deep would otherwise overflow the stack of every recursive walk after it (sealing,
 * RPC, the data limit) and break the execution object instead of failing the state.
 */
export const stringToJson: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([text]) {
    if (typeof text !== "string") return intrinsicFailure(NAME, `expected a string, got ${typeName(text)}`);
    // Step Functions (Jackson underneath) reads an empty or blank string as no value: null.
    if (text.trim() === "") return succeed(null);
    const parsed = parseJson(text);
    if (parsed.ok) return succeed(parsed.value);
    // JSON.parse's message differs between engines; the cause names the input instead.
    if (parsed.message.startsWith("invalid JSON")) {
      return intrinsicFailure(NAME, `the string is not valid JSON: ${text.slice(0, 100)}`);
    }
    return intrinsicFailure(NAME, parsed.message);
  },
};
