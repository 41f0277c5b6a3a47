// SVG for one laid-out scope: edges, then edge labels, then nodes (so boxes sit above lines), with
// Parallel branches and Map processors drawn recursively inside their node.

import type { DiagramNode, EdgeKind } from "./build-graph.ts";
import { escapeXml } from "./escape.ts";
import {
  GROUP_LABEL_HEIGHT,
  type PlacedEdge,
  type PlacedNode,
  type Point,
  type ScopeLayout,
} from "./layout.ts";
import {
  CATCH_COLOUR,
  EDGE_COLOUR,
  GROUP_FILL,
  GROUP_STROKE,
  INK,
  MISSING_COLOUR,
  MUTED,
  NAME_FONT,
  NEUTRAL,
  SMALL_FONT,
  STATUS_PALETTE,
  type StateRunStatus,
  type Swatch,
  statusText,
} from "./palette.ts";

export const ARROW_ID = "edgestate-arrow";
export const CATCH_ARROW_ID = "edgestate-arrow-catch";

/** Outcome of a state, or undefined when the diagram is drawn without an execution. */
export type StatusOf = (node: Extract<DiagramNode, { kind: "state" }>) => StateRunStatus | undefined;

/** Coordinates rounded to 0.1 px: keeps the document small and stable for tests. */
export const n = (value: number): string => String(Math.round(value * 10) / 10);

// A smooth path through dagre's bend points: straight to the first midpoint, then quadratic curves
// with each bend point as control, which follows dagre's routing without sharp corners.
function pathData(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return "";
  const parts = [`M${n(first.x)},${n(first.y)}`];
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    parts.push(`Q${n(p.x)},${n(p.y)} ${n((p.x + q.x) / 2)},${n((p.y + q.y) / 2)}`);
  }
  const last = rest[rest.length - 1];
  if (last !== undefined) parts.push(`L${n(last.x)},${n(last.y)}`);
  return parts.join(" ");
}

const LABEL_COLOUR: Record<EdgeKind, string> = {
  start: INK,
  end: INK,
  next: INK,
  choice: INK,
  default: MUTED,
  catch: CATCH_COLOUR,
};

function renderEdge({ edge, points }: PlacedEdge): string {
  const isCatch = edge.kind === "catch";
  const stroke = isCatch ? CATCH_COLOUR : EDGE_COLOUR;
  const dash = isCatch ? ' stroke-dasharray="6 4"' : "";
  const marker = isCatch ? CATCH_ARROW_ID : ARROW_ID;
  return `<path class="edge edge-${edge.kind}" d="${pathData(points)}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="url(#${marker})"/>`;
}

function renderEdgeLabel({ edge, label }: PlacedEdge): string {
  if (label === undefined) return "";
  const style = edge.kind === "default" ? ' font-style="italic"' : "";
  return [
    `<g class="edge-label edge-label-${edge.kind}">`,
    `<rect x="${n(label.x)}" y="${n(label.y)}" width="${n(label.width)}" height="${n(label.height)}" rx="3" fill="#ffffff" fill-opacity="0.92"/>`,
    `<text x="${n(label.x + label.width / 2)}" y="${n(label.y + label.height / 2 + 4)}" text-anchor="middle" font-size="${SMALL_FONT}" fill="${LABEL_COLOUR[edge.kind]}"${style}>${escapeXml(label.text)}</text>`,
    "</g>",
  ].join("");
}

function renderMarker(placed: PlacedNode): string {
  const cx = n(placed.x + placed.width / 2);
  const cy = n(placed.y + placed.height / 2);
  const r = placed.width / 2;
  if (placed.node.kind === "start") {
    return `<circle class="start" cx="${cx}" cy="${cy}" r="${n(r - 1)}" fill="${INK}"><title>Start</title></circle>`;
  }
  return [
    `<g class="end"><title>End</title>`,
    `<circle cx="${cx}" cy="${cy}" r="${n(r - 1)}" fill="#ffffff" stroke="${INK}" stroke-width="2"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${n(r - 6)}" fill="${INK}"/>`,
    "</g>",
  ].join("");
}

function nodeText(placed: PlacedNode, title: string, subtitle: string, swatch: Swatch): string {
  const cx = n(placed.x + placed.width / 2);
  return [
    `<text x="${cx}" y="${n(placed.y + 23)}" text-anchor="middle" font-size="${NAME_FONT}" font-weight="600" fill="${swatch.text}">${escapeXml(title)}</text>`,
    `<text x="${cx}" y="${n(placed.y + 41)}" text-anchor="middle" font-size="${SMALL_FONT}" fill="${swatch === NEUTRAL ? MUTED : swatch.text}">${escapeXml(subtitle)}</text>`,
  ].join("");
}

function rect(placed: PlacedNode, fill: string, stroke: string, extra = ""): string {
  return `<rect x="${n(placed.x)}" y="${n(placed.y)}" width="${n(placed.width)}" height="${n(placed.height)}" rx="6" fill="${fill}" stroke="${stroke}"${extra}/>`;
}

function renderGroups(placed: PlacedNode, statusOf: StatusOf): string {
  return placed.groups
    .map((group) => {
      const gx = placed.x + group.x;
      const gy = placed.y + group.y;
      return [
        `<g class="group">`,
        `<rect x="${n(gx)}" y="${n(gy)}" width="${n(group.width)}" height="${n(group.height)}" rx="4" fill="${GROUP_FILL}" stroke="${GROUP_STROKE}" stroke-dasharray="4 3"/>`,
        `<text x="${n(gx + 8)}" y="${n(gy + 16)}" font-size="${SMALL_FONT}" fill="${MUTED}">${escapeXml(group.label)}</text>`,
        `<g transform="translate(${n(gx)},${n(gy + GROUP_LABEL_HEIGHT)})">`,
        renderScope(group.layout, statusOf),
        "</g></g>",
      ].join("");
    })
    .join("");
}

function renderNode(placed: PlacedNode, statusOf: StatusOf): string {
  const { node } = placed;
  if (node.kind === "start" || node.kind === "end") return renderMarker(placed);
  if (node.kind === "missing") {
    const swatch = { ...NEUTRAL, text: MISSING_COLOUR };
    return [
      `<g class="state state-missing" data-state="${escapeXml(node.name)}">`,
      `<title>${escapeXml(`${node.name}: no state with this name`)}</title>`,
      rect(placed, "#ffffff", MISSING_COLOUR, ' stroke-width="1.5" stroke-dasharray="5 3"'),
      nodeText(placed, placed.text, "not defined", swatch),
      "</g>",
    ].join("");
  }
  const status = statusOf(node);
  const swatch = status === undefined ? NEUTRAL : STATUS_PALETTE[status];
  const subtitle = status === undefined ? node.type : `${node.type} · ${statusText(status)}`;
  const width = status === "in_progress" || status === "failed" ? "2.5" : "1.5";
  const statusAttr = status === undefined ? "" : ` data-status="${status}"`;
  return [
    `<g class="state" data-state="${escapeXml(node.key)}"${statusAttr}>`,
    `<title>${escapeXml(`${node.name} (${subtitle})`)}</title>`,
    rect(placed, swatch.fill, swatch.stroke, ` stroke-width="${width}"`),
    nodeText(placed, placed.text, subtitle, swatch),
    renderGroups(placed, statusOf),
    "</g>",
  ].join("");
}

export function renderScope(layout: ScopeLayout, statusOf: StatusOf): string {
  return [
    ...layout.edges.map(renderEdge),
    ...layout.edges.map(renderEdgeLabel),
    ...layout.nodes.map((placed) => renderNode(placed, statusOf)),
  ].join("");
}
