// JSON typed into a console form goes through the API's own parser (core/json) before the console
// builds a request from it: re-serialising what JSON.parse made of it would drop a repeated key and
// round 12345678901234567890 before the API ever saw the text.
import { parseJson } from "../core/json/parse-json";

export type Typed = { ok: true; value: unknown } | { ok: false; detail: string };

/** `what` names the field for the sentence: "the document", "the input". */
export function parseTyped(text: string, what: string): Typed {
  const parsed = parseJson(text);
  if (parsed.ok) return parsed;
  if (parsed.issues.length === 0) {
    return {
      ok: false,
      detail: `${what} is not valid JSON (${parsed.message.replace(/^invalid JSON: /, "")})`,
    };
  }
  return { ok: false, detail: `${what} cannot be kept as written: ${parsed.message}` };
}
