import type { Diagnostics } from "./diagnostics.ts";
import type { JsonObject } from "./json.ts";
import type { VariableRegistry } from "./variables.ts";

export interface ValidateOptions {
  /** Whether this engine can run a Task Resource; false gives a WARNING, never an error. */
  supportedResources?: (resource: string) => boolean;
}

/** The kinds of nested state machine: each is its own scope for StartAt and Next. */
export type ScopeKind = "state machine" | "branch" | "item processor" | "iterator";

export interface Context {
  readonly diags: Diagnostics;
  readonly options: ValidateOptions;
  /** Every state name in the definition, in any scope, so a missing target can be explained. */
  readonly allStateNames: ReadonlySet<string>;
  /** Validates a nested machine (Parallel branch, Map processor); passed in to avoid an import cycle. */
  readonly scope: (value: unknown, pointer: string, kind: ScopeKind, distributed?: boolean) => void;
  /** The machine's own QueryLanguage: what a state without one uses. */
  readonly topLanguage: "JSONPath" | "JSONata";
  /** Inside a distributed Map's processor (a child workflow of its own). */
  readonly inDistributed: boolean;
  readonly variables: VariableRegistry;
}

/** A transition out of a state, resolved against the enclosing scope once all its states are known. */
export interface Edge {
  target: string;
  pointer: string;
}

export interface StateCheck {
  readonly ctx: Context;
  readonly state: JsonObject;
  readonly pointer: string;
  readonly allowed: ReadonlySet<string>;
  readonly edges: Edge[];
  readonly jsonata: boolean;
}
