import type { Context, ValidateOptions } from "./context.ts";
import { type Diagnostic, Diagnostics } from "./diagnostics.ts";
import { isObject, quote } from "./json.ts";
import { collectStateNames } from "./names.ts";
import { checkScope } from "./scope.ts";
import { VariableRegistry } from "./variables.ts";

export interface ValidationResult {
  valid: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Validates an Amazon States Language definition (JSONPath and JSONata). Never throws on bad input:
 * every problem is a diagnostic, and `valid` is false exactly when one of them is an ERROR.
 */
export function validateDefinition(definition: unknown, options: ValidateOptions = {}): ValidationResult {
  const diags = new Diagnostics();
  if (!isObject(definition)) {
    diags.error("INVALID_TYPE", "", "a state machine definition must be a JSON object");
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
  const variables = new VariableRegistry();
  const topLanguage = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const contextFor = (inDistributed: boolean): Context => {
    const ctx: Context = {
      diags,
      options,
      allStateNames: seen,
      topLanguage,
      inDistributed,
      variables,
      scope: (value, pointer, kind, distributed) =>
        checkScope(distributed && !inDistributed ? contextFor(true) : ctx, value, pointer, kind),
    };
    return ctx;
  };
  checkScope(contextFor(false), definition, "", "state machine");
  variables.report(diags);
  return { valid: !diags.hasErrors, diagnostics: diags.list };
}
