import { succeed } from "../../errors.ts";
import { isObject } from "../../paths/json-path-evaluate.ts";
import { type IntrinsicFunction, intrinsicFailure, typeName } from "../types.ts";

const NAME = "States.Format";
/** The characters an intrinsic string escapes with a backslash; other backslashes are literal. */
const RESERVED = new Set(["'", "{", "}", "\\"]);
const isEscape = (text: string, i: number): boolean => text[i] === "\\" && RESERVED.has(text[i + 1] ?? "");

/**
 * `States.Format('Hello, my name is {}.', $.name)`: each unescaped `{}` takes the next argument.
 * A literal template is read from its raw text, so `\{` and `\}` stay literal braces.
 */
export const format: IntrinsicFunction = {
  name: NAME,
  minArgs: 1,
  maxArgs: Number.POSITIVE_INFINITY,
  evaluate(args, _env, call) {
    const [template, ...values] = args;
    if (typeof template !== "string") {
      return intrinsicFailure(NAME, `the template must be a string, got ${typeName(template)}`);
    }
    const first = call.args[0];
    const text = first?.kind === "string" ? first.raw : template;
    const placeholders = countPlaceholders(text);
    if (placeholders !== values.length) {
      return intrinsicFailure(
        NAME,
        `the template has ${placeholders} placeholder(s) but ${values.length} value(s) were given`,
      );
    }
    let out = "";
    let used = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (isEscape(text, i)) {
        out += text[++i];
      } else if (c === "{" && text[i + 1] === "}") {
        out += render(values[used++]);
        i++;
      } else {
        out += c;
      }
    }
    return succeed(out);
  },
};

function countPlaceholders(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (isEscape(text, i)) i++;
    else if (text[i] === "{" && text[i + 1] === "}") {
      count++;
      i++;
    }
  }
  return count;
}

/**
 * Strings go in as they are and scalars as JSON text (null → "null"). Objects and arrays are
 * printed the way Step Functions prints them — Java's Map/List toString, `{a=1, b=[x, y]}` —
 * not as JSON (LocalStack's parity tests against AWS record the same rendering).
 */
function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(render).join(", ")}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${key}=${render(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
