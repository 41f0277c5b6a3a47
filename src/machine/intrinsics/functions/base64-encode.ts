import { succeed } from "../../errors.ts";
import { encodeBase64, utf8Encode } from "../base64.ts";
import { type IntrinsicFunction, intrinsicFailure, MAX_STRING_INPUT, typeName } from "../types.ts";

const NAME = "States.Base64Encode";

/** `"Data to encode"` → `"RGF0YSB0byBlbmNvZGU="` (UTF-8 bytes, standard alphabet). */
export const base64Encode: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: 1,
  evaluate([text]) {
    if (typeof text !== "string") return intrinsicFailure(NAME, `expected a string, got ${typeName(text)}`);
    if (text.length > MAX_STRING_INPUT) {
      return intrinsicFailure(NAME, `the input exceeds ${MAX_STRING_INPUT} characters`);
    }
    return succeed(encodeBase64(utf8Encode(text)));
  },
};
