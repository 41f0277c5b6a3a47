// The whole diagram as a standalone SVG document: title, legend (when an execution's outcomes are
// given), then the laid-out machine. Sized in CSS pixels (width/height equal the viewBox) so text
// shows at its real size when the file is opened on its own.

import { buildGraph, type StateNode } from "./build-graph.ts";
import { escapeXml, truncate } from "./escape.ts";
import { layoutGraph } from "./layout.ts";
import {
  CATCH_COLOUR,
  EDGE_COLOUR,
  FONT_FAMILY,
  INK,
  MUTED,
  SMALL_FONT,
  STATUS_ORDER,
  STATUS_PALETTE,
  type StateRunStatus,
  TITLE_FONT,
} from "./palette.ts";
import { ARROW_ID, CATCH_ARROW_ID, n, renderScope, type StatusOf } from "./render-scope.ts";
import { textWidth } from "./text-width.ts";
import { titleLines } from "./title-lines.ts";

export interface RenderOptions {
  /** Outcome per state key (see state-key.ts); a state without an entry is "not reached". */
  status?: Record<string, StateRunStatus>;
  title?: string;
}

const MARGIN = 16;
const TITLE_LINE_HEIGHT = 22;
const LEGEND_ROW_HEIGHT = 22;
const LEGEND_BOTTOM = 8;
const LEGEND_GAP = 18;
const SWATCH = 14;
/** Machine and execution names are at most 80 characters each: this only bounds other callers. */
const MAX_TITLE_CHARS = 240;
/** Title lines and legend rows fit this width (a phone's), margins included. */
const HEADER_WIDTH = 360;

function arrowMarker(id: string, colour: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
}

function isStatus(value: unknown): value is StateRunStatus {
  return typeof value === "string" && Object.hasOwn(STATUS_PALETTE, value);
}

// `status` comes from outside: read only its own keys (a state named "constructor" must not find
// Object.prototype's) and ignore values that are not outcomes.
function statusLookup(status: Record<string, unknown> | undefined): StatusOf | undefined {
  if (status === undefined) return undefined;
  const own = (key: string): StateRunStatus | undefined => {
    const value = Object.hasOwn(status, key) ? status[key] : undefined;
    return isStatus(value) ? value : undefined;
  };
  return (node: StateNode) => own(node.key) ?? own(node.name) ?? "not_reached";
}

/** The legend of outcomes in rows no wider than `maxWidth`, each row drawn from x = 0, y = 0. */
function legendRows(maxWidth: number): { svg: string; width: number }[] {
  const items = STATUS_ORDER.map((status) => {
    const swatch = STATUS_PALETTE[status];
    return { swatch, width: SWATCH + 6 + textWidth(swatch.label, SMALL_FONT) };
  });
  const rows: (typeof items)[] = [[]];
  let used = 0;
  for (const item of items) {
    const row = rows.at(-1)!;
    if (row.length > 0 && used + LEGEND_GAP + item.width > maxWidth) {
      rows.push([item]);
      used = item.width;
    } else {
      used += (row.length > 0 ? LEGEND_GAP : 0) + item.width;
      row.push(item);
    }
  }
  return rows.map((row) => {
    let x = 0;
    const svg = row.map(({ swatch, width }) => {
      const drawn = [
        `<rect x="${x}" y="4" width="${SWATCH}" height="${SWATCH}" rx="3" fill="${swatch.fill}" stroke="${swatch.stroke}" stroke-width="1.5"/>`,
        `<text x="${x + SWATCH + 6}" y="16" font-size="${SMALL_FONT}" fill="${INK}">${escapeXml(swatch.label)}</text>`,
      ].join("");
      x += width + LEGEND_GAP;
      return drawn;
    });
    return { svg: svg.join(""), width: x - LEGEND_GAP };
  });
}

export function renderDiagram(definition: unknown, options: RenderOptions = {}): string {
  const graph = buildGraph(definition);
  const layout = layoutGraph(graph);
  const statusOf = statusLookup(options.status);
  const noStates = !graph.nodes.some((node) => node.kind === "state");

  const parts: string[] = [];
  // Title and legend wrap at a phone's width and are centred, like the machine under them, so a
  // phone shows them whole even where a wide machine scrolls sideways.
  const lineWidth = HEADER_WIDTH - 2 * MARGIN;
  const centred: { width: number; svg: (diagramWidth: number) => string }[] = [];
  const title = options.title === undefined ? undefined : truncate(options.title, MAX_TITLE_CHARS);
  let top = 0;
  let width = layout.width;
  if (title !== undefined) {
    for (const line of titleLines(title, lineWidth, TITLE_FONT)) {
      const y = top + 22;
      centred.push({
        width: textWidth(line, TITLE_FONT, true),
        svg: (diagramWidth) =>
          `<text class="title" x="${n(diagramWidth / 2)}" y="${y}" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="600" fill="${INK}">${escapeXml(line)}</text>`,
      });
      top += TITLE_LINE_HEIGHT;
    }
    top += 8;
  }
  if (statusOf !== undefined) {
    const rows = legendRows(lineWidth).map((row, i) => ({ ...row, y: top + i * LEGEND_ROW_HEIGHT }));
    centred.push({
      width: Math.max(...rows.map((row) => row.width)),
      svg: (diagramWidth) =>
        `<g class="legend">${rows
          .map(
            (row) => `<g transform="translate(${n((diagramWidth - row.width) / 2)},${row.y})">${row.svg}</g>`,
          )
          .join("")}</g>`,
    });
    top += rows.length * LEGEND_ROW_HEIGHT + LEGEND_BOTTOM;
  }
  const note = "No states defined";
  if (noStates) width = Math.max(width, textWidth(note, SMALL_FONT) + 2 * MARGIN);
  for (const part of centred) width = Math.max(width, part.width + 2 * MARGIN);
  for (const part of centred) parts.push(part.svg(width));
  if (noStates) {
    parts.push(
      `<text x="${MARGIN}" y="${top + layout.height + 16}" font-size="${SMALL_FONT}" fill="${MUTED}">${note}</text>`,
    );
  }
  const height = top + layout.height + (noStates ? 28 : 0);
  // Centre the machine under a wider title or legend.
  const dx = (width - layout.width) / 2;
  parts.push(
    `<g class="machine" transform="translate(${n(dx)},${n(top)})">${renderScope(layout, statusOf ?? (() => undefined))}</g>`,
  );

  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const label = escapeXml(title ?? "State machine diagram");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${label}</title>`,
    `<defs>${arrowMarker(ARROW_ID, EDGE_COLOUR)}${arrowMarker(CATCH_ARROW_ID, CATCH_COLOUR)}</defs>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...parts,
    "</svg>",
  ].join("");
}
