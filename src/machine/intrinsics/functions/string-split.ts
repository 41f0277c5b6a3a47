import { succeed } from "../../errors.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.StringSplit";

/**
 * Splits on every character of the delimiter string, as AWS's example shows
 * (`"This.is+a,test=string"` split by `".+,="` gives five words). Like Java's StringTokenizer,
 * which this mirrors, empty pieces are dropped.
 */
export const stringSplit: IntrinsicFunction = {
  name: NAME,
  minArgs: 2,
  maxArgs: 2,
  evaluate([text, delimiters]) {
    if (typeof text !== "string" || typeof delimiters !== "string") {
      return intrinsicFailure(
        NAME,
        `expected two strings, got ${typeName(text)} and ${typeName(delimiters)}`,
      );
    }
    if (delimiters === "") return succeed(text === "" ? [] : [text]);
    const set = new Set(delimiters);
    const parts: string[] = [];
    let current = "";
    for (const char of text) {
      if (set.has(char)) {
        if (current) parts.push(current);
        current = "";
      } else {
        current += char;
      }
    }
    if (current) parts.push(current);
    return succeed(parts);
  },
};
