import type { Context, ValidateOptions } from "./context.ts";
import { type Diagnostic, Diagnostics } from "./diagnostics.ts";
import { isObject, quote } from "./json.ts";
import { findJsonata } from "./jsonata.ts";
import { collectStateNames } from "./names.ts";
import { checkScope } from "./scope.ts";

export interface ValidationResult {
  valid: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Validates an Amazon States Language definition (JSONPath mode). Never throws on bad input:
 * every problem is a diagnostic, and `valid` is false exactly when one of them is an ERROR.
 */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): ValidationResult {
  const diags = new Diagnostics();
  if (!isObject(definition)) {
    diags.error("INVALID_TYPE", "", "a state machine definition must be a JSON object");
    return { valid: false, diagnostics: diags.list };
  }
  const jsonata = findJsonata(definition);
  if (jsonata) {
    diags.error(
      "JSONATA_UNSUPPORTED",
      jsonata.pointer,
      `JSONata mode is not supported yet (found ${jsonata.reason}); use JSONPath`,
    );
    return { valid: false, diagnostics: diags.list };
  }
  const named = collectStateNames(definition, "");
  const seen = new Set<string>();
  for (const { name, pointer } of named) {
    if (seen.has(name))
      diags.error(
        "DUPLICATE_STATE_NAME",
        pointer,
        `another state is already named ${quote(name)}; names are unique across the whole machine`,
      );
    seen.add(name);
  }
  const ctx: Context = {
    diags,
    options,
    allStateNames: seen,
    scope: (value, pointer, kind) => checkScope(ctx, value, pointer, kind),
  };
  checkScope(ctx, definition, "", "state machine");
  return { valid: !diags.hasErrors, diagnostics: diags.list };
}
