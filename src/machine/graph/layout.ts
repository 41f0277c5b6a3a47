// Places a DiagramGraph with dagre, top to bottom. Each Parallel branch and Map processor is laid
// out on its own first and embedded as a group box inside its parent node: dagre's compound mode
// mis-routes edges that cross cluster borders, while a sub-machine never has edges leaving it, so
// laying it out separately gives the same picture with no crossing artefacts.

import { graphlib, layout } from "@dagrejs/dagre";
import type { DiagramEdge, DiagramGraph, DiagramNode, StateNode } from "./build-graph.ts";
import { routeEdges } from "./edge-route.ts";
import { truncate } from "./escape.ts";
import type { Box, Point } from "./geometry.ts";
import { LONGEST_STATUS_TEXT, NAME_FONT, SMALL_FONT } from "./palette.ts";
import { textWidth } from "./text-width.ts";

export type { Box, Point } from "./geometry.ts";

export interface PlacedGroup extends Box {
  label: string;
  /** Placed relative to the group box's top-left corner. */
  layout: ScopeLayout;
}

export interface PlacedNode extends Box {
  node: DiagramNode;
  /** The name as drawn (long names are shortened; the full name goes in a tooltip). */
  text: string;
  /** Relative to the node's top-left corner. */
  groups: PlacedGroup[];
}

export interface PlacedEdge {
  edge: DiagramEdge;
  points: Point[];
  label?: Box & { text: string };
}

export interface ScopeLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const MAX_NAME_CHARS = 36;
export const NODE_HEIGHT = 52;
export const NODE_MIN_WIDTH = 150;
export const NODE_PAD_X = 16;
export const MARKER_SIZE = 22;
export const GROUP_PAD = 12;
export const GROUP_LABEL_HEIGHT = 22;
const GROUP_GAP = 16;
const EDGE_LABEL_PAD_X = 6;
const EDGE_LABEL_HEIGHT = 20;

function placeGroups(node: StateNode): { groups: PlacedGroup[]; width: number; height: number } {
  const groups: PlacedGroup[] = [];
  let x = GROUP_PAD;
  let height = 0;
  for (const group of node.groups) {
    const inner = layoutGraph(group.graph);
    const width = Math.max(inner.width, textWidth(group.label, SMALL_FONT) + 2 * GROUP_PAD);
    const box = { x, y: NODE_HEIGHT, width, height: GROUP_LABEL_HEIGHT + inner.height };
    groups.push({ ...box, label: group.label, layout: inner });
    x += width + GROUP_GAP;
    height = Math.max(height, box.height);
  }
  if (groups.length === 0) return { groups, width: 0, height: 0 };
  return { groups, width: x - GROUP_GAP + GROUP_PAD, height: height + GROUP_PAD };
}

function measure(node: DiagramNode): Omit<PlacedNode, "x" | "y"> {
  if (node.kind === "start" || node.kind === "end") {
    return { node, text: "", groups: [], width: MARKER_SIZE, height: MARKER_SIZE };
  }
  const text = truncate(node.name, MAX_NAME_CHARS);
  const subtitle = node.kind === "state" ? `${node.type} · ${LONGEST_STATUS_TEXT}` : "not defined";
  const textBox = Math.max(textWidth(text, NAME_FONT, true), textWidth(subtitle, SMALL_FONT));
  const width = Math.max(NODE_MIN_WIDTH, textBox + 2 * NODE_PAD_X);
  if (node.kind === "missing") return { node, text, groups: [], width, height: NODE_HEIGHT };
  const placed = placeGroups(node);
  // Centre the groups when the header is wider than they are.
  const shift = Math.max(0, (width - placed.width) / 2);
  const groups = placed.groups.map((g) => ({ ...g, x: g.x + shift }));
  return { node, text, groups, width: Math.max(width, placed.width), height: NODE_HEIGHT + placed.height };
}

export function layoutGraph(graph: DiagramGraph): ScopeLayout {
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: "TB",
    rankalign: "top",
    nodesep: 36,
    edgesep: 18,
    ranksep: 44,
    marginx: 16,
    marginy: 16,
  });
  g.setDefaultEdgeLabel(() => ({}));

  const measured = new Map(graph.nodes.map((node) => [node.id, measure(node)]));
  for (const [id, m] of measured) g.setNode(id, { width: m.width, height: m.height });
  graph.edges.forEach((edge, i) => {
    const label = edge.label;
    const size =
      label === undefined
        ? {}
        : { width: textWidth(label, SMALL_FONT) + 2 * EDGE_LABEL_PAD_X, height: EDGE_LABEL_HEIGHT };
    g.setEdge(edge.from, edge.to, { ...size, labelpos: "c" }, String(i));
  });

  layout(g);

  const nodes: PlacedNode[] = [];
  const boxes = new Map<string, PlacedNode>();
  for (const [id, m] of measured) {
    const n = g.node(id);
    const placed = { ...m, x: (n.x ?? 0) - m.width / 2, y: (n.y ?? 0) - m.height / 2 };
    nodes.push(placed);
    boxes.set(id, placed);
  }
  const dagreEdges = graph.edges.map((edge, i) => g.edge(edge.from, edge.to, String(i)));
  const routes = routeEdges(
    graph.edges.map((edge, i) => ({ from: edge.from, to: edge.to, points: dagreEdges[i]?.points ?? [] })),
    boxes,
  );
  const edges = graph.edges.map((edge, i): PlacedEdge => {
    const points = routes[i] ?? [];
    const { x, y, width = 0, height = 0 } = dagreEdges[i] ?? {};
    if (edge.label === undefined || x === undefined || y === undefined) return { edge, points };
    return { edge, points, label: { text: edge.label, x: x - width / 2, y: y - height / 2, width, height } };
  });
  const size = g.graph();
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges };
}
