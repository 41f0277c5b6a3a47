import {
  type Diagnostic,
  type ValidateOptions,
  validateDefinition,
} from "../../../src/machine/validate/index.ts";

/** A machine whose first state is StartAt. */
export function machine(
  states: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { StartAt: Object.keys(states)[0], States: states, ...extra };
}

/** One state and a Succeed after it, so a state under test can use Next: "Done". */
export function withState(state: Record<string, unknown>): Record<string, unknown> {
  return machine({ S: state, Done: { Type: "Succeed" } });
}

export function errorsOf(definition: unknown, options?: ValidateOptions): Diagnostic[] {
  return validateDefinition(definition, options).diagnostics.filter((d) => d.severity === "ERROR");
}

/** "CODE /pointer" for every ERROR, compact to assert on. */
export function errorKeys(definition: unknown, options?: ValidateOptions): string[] {
  return errorsOf(definition, options).map((d) => `${d.code} ${d.pointer}`);
}

export function warningKeys(definition: unknown, options?: ValidateOptions): string[] {
  return validateDefinition(definition, options)
    .diagnostics.filter((d) => d.severity === "WARNING")
    .map((d) => `${d.code} ${d.pointer}`);
}
