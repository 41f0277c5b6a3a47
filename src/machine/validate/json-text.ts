// The definition's text goes through the one JSON parser every input goes through (core/json):
// JSON.parse would keep the last of two equal keys without a word (Step Functions refuses such a
// definition, and a silently dropped "Next" would change the machine) and round a Choice rule's
// 9007199254740993 to …992. Each such problem becomes a diagnostic with a pointer to it; the rest
// of the definition is still validated, so one answer lists everything.

import { parseJson } from "../../core/json/parse-json.ts";
import { type Diagnostic, Diagnostics } from "./diagnostics.ts";

export interface ParsedDefinition {
  /** The parsed value, or undefined when the text is not JSON. */
  definition: unknown;
  diagnostics: Diagnostic[];
}

export function parseDefinitionText(text: string): ParsedDefinition {
  const diags = new Diagnostics();
  const parsed = parseJson(text);
  if (parsed.ok) return { definition: parsed.value, diagnostics: [] };
  if (parsed.lossy === undefined) {
    diags.error(
      "INVALID_JSON_DESCRIPTION",
      "",
      `the definition is not valid JSON: ${parsed.message.replace(/^invalid JSON: /, "")}`,
    );
    return { definition: undefined, diagnostics: diags.list };
  }
  for (const issue of parsed.issues) {
    diags.error(
      issue.kind === "duplicate_key" ? "DUPLICATE_KEY" : "INEXACT_NUMBER",
      issue.pointer,
      issue.message,
    );
  }
  return { definition: parsed.lossy, diagnostics: diags.list };
}
