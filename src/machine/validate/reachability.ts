// Transitions are resolved per scope: the spec forbids a Next in a Parallel branch or Map
// processor from reaching a state outside it (and vice versa), so a target that exists only in
// another scope is reported as crossing, which is clearer than "no such state".

import type { Edge } from "./context.ts";
import { at, type Diagnostics } from "./diagnostics.ts";
import { quote } from "./json.ts";

export interface StateNode {
  edges: Edge[];
  terminal: boolean;
}

export function checkGraph(
  diags: Diagnostics,
  statesPointer: string,
  startAt: string | undefined,
  nodes: ReadonlyMap<string, StateNode>,
  allStateNames: ReadonlySet<string>,
  what: string,
): void {
  let dangling = false;
  for (const node of nodes.values()) {
    for (const edge of node.edges) {
      if (nodes.has(edge.target)) continue;
      dangling = true;
      if (allStateNames.has(edge.target)) {
        diags.error(
          "TRANSITION_CROSSES_SCOPE",
          edge.pointer,
          `${quote(edge.target)} is outside this ${what}; transitions cannot cross into or out of a branch or item processor`,
        );
      } else {
        diags.error(
          "MISSING_TRANSITION_TARGET",
          edge.pointer,
          `there is no state named ${quote(edge.target)} in this ${what}`,
        );
      }
    }
  }
  if (startAt === undefined || !nodes.has(startAt)) return;
  const reached = new Set<string>([startAt]);
  const queue = [startAt];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const edge of nodes.get(name)?.edges ?? []) {
      if (nodes.has(edge.target) && !reached.has(edge.target)) {
        reached.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  for (const name of nodes.keys()) {
    if (!reached.has(name))
      diags.error(
        "UNREACHABLE_STATE",
        at(statesPointer, name),
        `state ${quote(name)} cannot be reached from StartAt`,
      );
  }
  // With a dangling Next the graph is incomplete, so "never ends" would only repeat that error.
  if (!dangling && ![...reached].some((name) => nodes.get(name)?.terminal)) {
    diags.error(
      "MISSING_END_STATE",
      statesPointer,
      `this ${what} never ends: no Succeed, Fail or End: true state is reachable`,
    );
  }
}
