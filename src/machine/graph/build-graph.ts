// The diagram's model: one scope per machine (the top level, each Parallel branch, each Map
// processor), with its states, start/end markers and labelled edges. Reads the definition
// defensively: the console previews definitions while they are being typed, so a malformed one
// draws what is there instead of throwing.

import { choiceLabel } from "./choice-label.ts";
import { truncate } from "./escape.ts";
import { type StateScope, stateKey } from "./state-key.ts";

export const MAX_CATCH_LABEL = 40;

export type EdgeKind = "start" | "end" | "next" | "choice" | "default" | "catch";

export interface DiagramEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
}

export interface StateNode {
  kind: "state";
  id: string;
  name: string;
  /** Key into the `status` map: see state-key.ts. */
  key: string;
  /** The state's `Type` as written, or "?" when it is missing or not a string. */
  type: string;
  /** Parallel branches or the Map item processor, each its own laid-out machine. */
  groups: DiagramGroup[];
}

export type DiagramNode =
  | StateNode
  | { kind: "start"; id: string }
  | { kind: "end"; id: string }
  /** A `Next`, `Default`, `StartAt` or `Catch` target that names no state in this scope. */
  | { kind: "missing"; id: string; name: string };

export interface DiagramGroup {
  label: string;
  graph: DiagramGraph;
}

export interface DiagramGraph {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export const START_ID = "start";
export const stateId = (name: string): string => `state:${name}`;
const endId = (name: string): string => `end:${name}`;
const missingId = (name: string): string => `missing:${name}`;

const TERMINAL_TYPES = new Set(["Succeed", "Fail"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function groupsOf(name: string, state: Record<string, unknown>, scope: StateScope[]): DiagramGroup[] {
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    return state.Branches.map((branch, i) => ({
      label: `Branch ${i + 1}`,
      graph: buildScope(branch, [...scope, { state: name, branch: i }]),
    }));
  }
  if (state.Type === "Map") {
    // `Iterator` is the pre-2022 spelling of `ItemProcessor`; both still appear in the wild.
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor === undefined) return [];
    return [
      { label: "Item processor", graph: buildScope(processor, [...scope, { state: name, branch: 0 }]) },
    ];
  }
  return [];
}

function catchLabel(catcher: Record<string, unknown>): string {
  const errors = Array.isArray(catcher.ErrorEquals)
    ? catcher.ErrorEquals.filter((e): e is string => typeof e === "string")
    : [];
  return truncate(errors.length > 0 ? errors.join(", ") : "?", MAX_CATCH_LABEL);
}

function outgoing(name: string, state: Record<string, unknown>): DiagramEdge[] {
  const from = stateId(name);
  const edges: DiagramEdge[] = [];
  const to = (target: unknown, kind: EdgeKind, label?: string): void => {
    if (typeof target !== "string") return;
    edges.push(label === undefined ? { from, to: target, kind } : { from, to: target, kind, label });
  };
  if (state.Type === "Choice") {
    const rules = Array.isArray(state.Choices) ? state.Choices : [];
    for (const rule of rules) if (isRecord(rule)) to(rule.Next, "choice", choiceLabel(rule));
    to(state.Default, "default", "Default");
  } else {
    to(state.Next, "next");
  }
  const catchers = Array.isArray(state.Catch) ? state.Catch : [];
  for (const catcher of catchers) if (isRecord(catcher)) to(catcher.Next, "catch", catchLabel(catcher));
  return edges;
}

/** One machine (top level, branch or processor). Edge `to` holds a state name until resolved. */
function buildScope(machine: unknown, scope: StateScope[]): DiagramGraph {
  const def = isRecord(machine) ? machine : {};
  const states = isRecord(def.States) ? def.States : {};
  const nodes: DiagramNode[] = [{ kind: "start", id: START_ID }];
  const named: DiagramEdge[] = [];
  const ends: DiagramEdge[] = [];
  if (typeof def.StartAt === "string") named.push({ from: START_ID, to: def.StartAt, kind: "start" });

  for (const [name, raw] of Object.entries(states)) {
    const state = isRecord(raw) ? raw : {};
    const type = typeof state.Type === "string" ? state.Type : "?";
    const key = stateKey(scope, name);
    nodes.push({ kind: "state", id: stateId(name), name, key, type, groups: groupsOf(name, state, scope) });
    named.push(...outgoing(name, state));
    if (state.End === true || TERMINAL_TYPES.has(type)) {
      nodes.push({ kind: "end", id: endId(name) });
      ends.push({ from: stateId(name), to: endId(name), kind: "end" });
    }
  }

  // Resolve targets by name; a target that names no state gets a visible placeholder, so a typo in
  // `Next` shows up in the diagram instead of silently dropping the edge.
  const missing = new Set<string>();
  const edges = named.map((edge) => {
    if (!Object.hasOwn(states, edge.to)) missing.add(edge.to);
    const to = Object.hasOwn(states, edge.to) ? stateId(edge.to) : missingId(edge.to);
    return { ...edge, to };
  });
  for (const name of missing) nodes.push({ kind: "missing", id: missingId(name), name });
  return { nodes, edges: [...edges, ...ends] };
}

export function buildGraph(definition: unknown): DiagramGraph {
  return buildScope(definition, []);
}
