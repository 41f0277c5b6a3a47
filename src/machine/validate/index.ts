// Public API of the ASL definition validator. Pure: no I/O, no cloudflare:* imports.

import type { ValidateOptions } from "./context.ts";
import { parseDefinitionText } from "./json-text.ts";
import { type ValidationResult, validateDefinition } from "./validate.ts";

export { DIAGNOSTIC_CODES, type DiagnosticCode } from "./codes.ts";
export type { ValidateOptions } from "./context.ts";
export type { Diagnostic, Severity } from "./diagnostics.ts";
export { type ParsedDefinition, parseDefinitionText } from "./json-text.ts";
export { type ValidationResult, validateDefinition } from "./validate.ts";

/**
 * Raw request body → verdict: JSON syntax and duplicate keys (which JSON.parse hides) first,
 * then the definition rules. What the HTTP layer should call with the body text.
 */
export function validateDefinitionText(
  text: string,
  options: ValidateOptions = {},
): ValidationResult & { definition: unknown } {
  const parsed = parseDefinitionText(text);
  if (parsed.definition === undefined)
    return { valid: false, diagnostics: parsed.diagnostics, definition: undefined };
  const result = validateDefinition(parsed.definition, options);
  const diagnostics = [...parsed.diagnostics, ...result.diagnostics];
  return {
    valid: diagnostics.every((d) => d.severity !== "ERROR"),
    diagnostics,
    definition: parsed.definition,
  };
}
