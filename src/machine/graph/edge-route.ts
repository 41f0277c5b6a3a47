// Corrections to dagre's edge ends. Dagre aims every edge at the centre of its node and cuts it at
// the border, so on a tall node (a Parallel or Map with its groups drawn inside) edges meet the
// side, deep in the group area, and its self-loops come out degenerate. Here edges coming from
// above enter through the top and edges going below leave through the bottom, spread so that
// arrowheads do not pile up on one corner, and self-loops are drawn as a loop on the right side.

import type { Box, Point } from "./geometry.ts";

const CORNER = 10;
const PORT_GAP = 14;
const LOOP_OUT = 26;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** Where the line from `outside` towards the box's centre crosses the horizontal line `y`. */
function towardCentre(outside: Point, box: Box, y: number): number {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return outside.x + (cx - outside.x) * ((y - outside.y) / (cy - outside.y));
}

export function selfLoop(box: Box): Point[] {
  const right = box.x + box.width;
  const cy = box.y + box.height / 2;
  const rise = Math.min(14, box.height / 3);
  return [
    { x: right, y: cy - rise },
    { x: right + LOOP_OUT, y: cy - rise - 4 },
    { x: right + LOOP_OUT, y: cy + rise + 4 },
    { x: right, y: cy + rise },
  ];
}

/** Keeps sorted positions at least PORT_GAP apart (less if they cannot fit) within [low, high]. */
function spread(xs: number[], low: number, high: number): number[] {
  const gap = xs.length > 1 ? Math.min(PORT_GAP, (high - low) / (xs.length - 1)) : 0;
  const out = xs.map((x) => clamp(x, low, high));
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i]!, out[i - 1]! + gap);
  out[out.length - 1] = Math.min(out[out.length - 1]!, high);
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.min(out[i]!, out[i + 1]! - gap);
  return out.map((x) => clamp(x, low, high));
}

interface Port {
  route: Point[];
  /** Index of the end to move (0 or last) and of its neighbour on the route. */
  end: number;
  next: number;
}

function placePorts(ports: Port[], box: Box, y: number): void {
  const margin = Math.min(CORNER, box.width / 2);
  const wanted = ports.map((p) => {
    const end = p.route[p.end]!;
    const next = p.route[p.next]!;
    // Dagre already ends some edges on this border; only side hits are redirected.
    return Math.abs(end.y - y) < 1 ? end.x : towardCentre(next, box, y);
  });
  const order = ports.map((_, i) => i).sort((a, b) => wanted[a]! - wanted[b]! || a - b);
  const xs = spread(
    order.map((i) => wanted[i]!),
    box.x + margin,
    box.x + box.width - margin,
  );
  order.forEach((portIndex, k) => {
    const port = ports[portIndex]!;
    port.route[port.end] = { x: xs[k]!, y };
  });
}

/** Edge routes with ends on the top or bottom border; `boxes` are looked up by node id. */
export function routeEdges(
  edges: readonly { from: string; to: string; points: readonly Point[] }[],
  boxes: ReadonlyMap<string, Box>,
): Point[][] {
  const routes = edges.map((e) => [...e.points]);
  const tops = new Map<string, Port[]>();
  const bottoms = new Map<string, Port[]>();
  const add = (map: Map<string, Port[]>, id: string, port: Port) =>
    map.set(id, [...(map.get(id) ?? []), port]);
  edges.forEach((edge, i) => {
    const route = routes[i]!;
    const from = boxes.get(edge.from);
    const to = boxes.get(edge.to);
    if (from === undefined || to === undefined || route.length < 2) return;
    if (edge.from === edge.to) {
      routes[i] = selfLoop(from);
      return;
    }
    const last = route.length - 1;
    if (route[last - 1]!.y < to.y) add(tops, edge.to, { route, end: last, next: last - 1 });
    if (route[1]!.y > from.y + from.height) add(bottoms, edge.from, { route, end: 0, next: 1 });
  });
  for (const [id, ports] of tops) placePorts(ports, boxes.get(id)!, boxes.get(id)!.y);
  for (const [id, ports] of bottoms) {
    const box = boxes.get(id)!;
    placePorts(ports, box, box.y + box.height);
  }
  return routes;
}
