import { succeed } from "../../errors.ts";
import { decodeBase64, utf8Decode } from "../base64.ts";
import { type IntrinsicFunction, intrinsicFailure, MAX_STRING_INPUT, typeName } from "../types.ts";

const NAME = "States.Base64Decode";

export const base64Decode: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([text]) {
    if (typeof text !== "string") return intrinsicFailure(NAME, `expected a string, got ${typeName(text)}`);
    if (text.length > MAX_STRING_INPUT) {
      return intrinsicFailure(NAME, `the input exceeds ${MAX_STRING_INPUT} characters`);
    }
    const bytes = decodeBase64(text);
    if (!bytes) return intrinsicFailure(NAME, "the input is not valid Base64");
    const decoded = utf8Decode(bytes);
    if (decoded === null) return intrinsicFailure(NAME, "the decoded bytes are not valid UTF-8");
    return succeed(decoded);
  },
};
