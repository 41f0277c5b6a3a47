// The diagram module's public surface: the console route renders with `renderDiagram`, the
// execution side names states with `stateKey`, tests inspect `buildGraph`.

export {
  buildGraph,
  type DiagramEdge,
  type DiagramGraph,
  type DiagramGroup,
  type DiagramNode,
  type EdgeKind,
  type StateNode,
} from "./build-graph.ts";
export { choiceLabel, describeRule } from "./choice-label.ts";
export { layoutGraph, type ScopeLayout } from "./layout.ts";
export type { StateRunStatus } from "./palette.ts";
export { type RenderOptions, renderDiagram } from "./render-svg.ts";
export { type StateScope, stateKey } from "./state-key.ts";
