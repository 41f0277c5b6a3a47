// What TestState runs: one state, given either alone (`{"Type": "Pass", …}`) or inside a whole
// state machine named by `stateName` (at any depth: inside a Parallel branch or a Map's item
// processor too). A lone state is validated inside a machine made for it, whose only other states
// stand in for the targets it names (Next, Default, each Choice and Catch): the validator then
// checks every rule of the state itself, and nothing about states that are not there.

import { isJsonObject, type JsonObject } from "../../core/json/json-value.ts";
import type { ScopeStep } from "../snapshot.ts";
import type { State, StateMachineDefinition, SubMachine } from "../types.ts";
import {
  type Diagnostic,
  parseDefinitionText,
  type ValidateOptions,
  validateDefinition,
} from "../validate/index.ts";

/** The name a lone state runs under (`$$.State.Name`), as Step Functions names it. */
export const LONE_STATE_NAME = "StateName";

export interface TestTarget {
  machine: StateMachineDefinition;
  name: string;
  state: State;
  /** Where the state sits: the Parallel/Map states (and branches) around it. */
  scope: ScopeStep[];
  /** Inside a Map's item processor: `$$.Map.Item` is filled in, as Step Functions does. */
  inMap: boolean;
  warnings: Diagnostic[];
}

export type TargetResult =
  | { ok: true; value: TestTarget }
  | { ok: false; invalid: "definition" | "request"; message: string; diagnostics?: Diagnostic[] };

export function testTarget(
  text: string,
  stateName: string | undefined,
  options: ValidateOptions,
): TargetResult {
  const parsed = parseDefinitionText(text);
  if (parsed.definition === undefined) {
    return {
      ok: false,
      invalid: "definition",
      message: summary(parsed.diagnostics),
      diagnostics: parsed.diagnostics,
    };
  }
  const document = parsed.definition;
  if (!isJsonObject(document))
    return { ok: false, invalid: "definition", message: "The definition must be a JSON object." };
  const lone = typeof document.Type === "string" && document.States === undefined;
  if (lone && stateName !== undefined) {
    return {
      ok: false,
      invalid: "request",
      message: "stateName is only allowed with a complete state machine definition (StartAt and States).",
    };
  }
  const machine = lone ? machineAround(document) : document;
  const verdict = validateDefinition(machine, options);
  // For a lone state, only what is said about the state itself: the machine around it is ours.
  const own = `/States/${LONE_STATE_NAME}`;
  const judged = lone
    ? verdict.diagnostics
        .filter((d) => d.pointer === own || d.pointer.startsWith(`${own}/`))
        .map((d) => ({ ...d, pointer: d.pointer.slice(own.length) }))
    : verdict.diagnostics;
  const diagnostics = [...parsed.diagnostics, ...judged];
  const errors = diagnostics.filter((d) => d.severity === "ERROR");
  if (errors.length > 0)
    return { ok: false, invalid: "definition", message: summary(errors), diagnostics: errors };
  const definition = machine as unknown as StateMachineDefinition;
  const name = lone ? LONE_STATE_NAME : (stateName ?? definition.StartAt);
  const found = findState(definition, name, []);
  if (!found) {
    return {
      ok: false,
      invalid: "request",
      message: `The state '${name}' does not exist in the definition.`,
    };
  }
  return {
    ok: true,
    value: {
      machine: definition,
      name,
      ...found,
      warnings: diagnostics.filter((d) => d.severity === "WARNING"),
    },
  };
}

function machineAround(state: JsonObject): JsonObject {
  const targets = new Set<string>();
  const add = (v: unknown) => typeof v === "string" && v !== LONE_STATE_NAME && targets.add(v);
  add(state.Next);
  add(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const item of list) if (isJsonObject(item)) add(item.Next);
  }
  const states: JsonObject = { [LONE_STATE_NAME]: state };
  for (const target of targets) states[target] = { Type: "Succeed" };
  return { StartAt: LONE_STATE_NAME, States: states };
}

function findState(
  machine: SubMachine,
  name: string,
  scope: ScopeStep[],
): { state: State; scope: ScopeStep[]; inMap: boolean } | undefined {
  const here = machine.States[name];
  if (here)
    return { state: here, scope, inMap: scope.length > 0 && scope[scope.length - 1]!.branch === undefined };
  for (const [outer, state] of Object.entries(machine.States)) {
    if (state.Type === "Parallel") {
      for (const [branch, sub] of state.Branches.entries()) {
        const found = findState(sub, name, [...scope, { state: outer, branch }]);
        if (found) return found;
      }
    } else if (state.Type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      const found = processor && findState(processor, name, [...scope, { state: outer }]);
      if (found) return found;
    }
  }
  return undefined;
}

function summary(diagnostics: readonly Diagnostic[]): string {
  const [first] = diagnostics;
  if (!first) return "The definition is not valid.";
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return `${first.code} at '${first.pointer || "/"}': ${first.message}${more}`;
}
