// The console's bodies under the API's rules (src/http/body): bounded, UTF-8 or refused, and a
// form field given twice refused rather than "last one wins". A form is decoded here, strictly
// (a malformed %-escape or invalid UTF-8 behind one is a 400, where the platform's form parser
// would substitute U+FFFD), and handed to Hono's form cache, so every route's parseBody() reads it.
import type { Context } from "hono";
import { parseJson } from "../../core/json/parse-json";
import { jsonText } from "../../http/body/json-text";
import { isJsonMediaType, parseMediaType } from "../../http/body/media-type";
import { readBody } from "../../http/body/read-body";
import { ProblemError } from "../../http/problem";
import type { ConsoleEnv } from "../console-env";
import { ConsoleRefusal } from "./refusal";

const FORM = "application/x-www-form-urlencoded";

export async function readConsoleBody(c: Context<ConsoleEnv>, limit: number): Promise<void> {
  try {
    const header = c.req.header("Content-Type");
    const type = header === undefined ? null : parseMediaType(header);
    const bytes = await readBody(c.req.raw, limit);
    if (bytes.byteLength === 0 && (!type || type.essence === FORM)) return cacheForm(c, new FormData());
    if (type?.essence === FORM) return cacheForm(c, decodeForm(jsonText(bytes, type)));
    if (type && isJsonMediaType(type.essence)) {
      const text = jsonText(bytes, type);
      const parsed = parseJson(text);
      if (!parsed.ok) throw new ConsoleRefusal(400, `The request is not usable JSON: ${parsed.message}`);
      const value = parsed.value;
      c.req.json = <T>() => Promise.resolve(value as T);
      return;
    }
    throw new ConsoleRefusal(415, "The console takes forms (application/x-www-form-urlencoded) and JSON.");
  } catch (e) {
    if (e instanceof ProblemError) {
      throw new ConsoleRefusal(
        e.init.status === 413 ? 413 : e.init.status === 415 ? 415 : 400,
        e.init.detail,
      );
    }
    throw e;
  }
}

function cacheForm(c: Context<ConsoleEnv>, form: FormData): void {
  // Hono keeps a promise here (its type says a value); parseBody() reads it instead of the body.
  (c.req.bodyCache as { formData?: Promise<FormData> }).formData = Promise.resolve(form);
}

/** application/x-www-form-urlencoded, strictly: each field once, every %-escape valid UTF-8. */
function decodeForm(text: string): FormData {
  const form = new FormData();
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq < 0 ? "" : pair.slice(eq + 1));
    if (form.has(name)) throw new ConsoleRefusal(400, `The form has the field "${name}" more than once.`);
    form.append(name, value);
  }
  return form;
}

function decodeComponent(raw: string): string {
  try {
    // decodeURIComponent throws on a malformed escape and on escapes that are not UTF-8.
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw new ConsoleRefusal(400, "The form is not valid: a %-escape in it is malformed or not UTF-8.");
  }
}
