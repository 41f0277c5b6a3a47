import { describe, expect, it } from "vitest";
import { buildGraph, layoutGraph, type ScopeLayout } from "../../../src/machine/graph/index.ts";
import { orderMachine } from "./fixtures.ts";

const placed = (layout: ScopeLayout, id: string) => {
  const node = layout.nodes.find((n) => n.node.id === id);
  if (node === undefined) throw new Error(`no node ${id}`);
  return node;
};

describe("layoutGraph", () => {
  const layout = layoutGraph(buildGraph(orderMachine));

  it("lays the machine out top to bottom", () => {
    const order = ["start", "state:Validate", "state:Route", "state:Review", "state:Fulfil", "state:Items"];
    const ys = order.map((id) => placed(layout, id).y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it("fits each group box inside its state and its sub-machine inside the group", () => {
    const fulfil = placed(layout, "state:Fulfil");
    for (const group of fulfil.groups) {
      expect(group.x).toBeGreaterThanOrEqual(0);
      expect(group.y).toBeGreaterThanOrEqual(0);
      expect(group.x + group.width).toBeLessThanOrEqual(fulfil.width);
      expect(group.y + group.height).toBeLessThanOrEqual(fulfil.height);
      expect(group.layout.width).toBeLessThanOrEqual(group.width);
    }
    const [first, second] = fulfil.groups;
    expect(first!.x + first!.width).toBeLessThan(second!.x);
  });

  it("brings edges into a tall Parallel or Map state through its top border", () => {
    for (const id of ["state:Fulfil", "state:Items"]) {
      const box = placed(layout, id);
      const incoming = layout.edges.filter((e) => e.edge.to === id);
      expect(incoming.length).toBeGreaterThan(0);
      for (const edge of incoming) {
        const end = edge.points[edge.points.length - 1]!;
        expect(end.y).toBeCloseTo(box.y, 5);
        expect(end.x).toBeGreaterThan(box.x);
        expect(end.x).toBeLessThan(box.x + box.width);
      }
    }
  });

  it("draws a self-loop as a loop on the state's right side", () => {
    const loop = layoutGraph(
      buildGraph({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 1, Next: "W" } } }),
    );
    const box = placed(loop, "state:W");
    const edge = loop.edges.find((e) => e.edge.from === "state:W" && e.edge.to === "state:W")!;
    const right = box.x + box.width;
    expect(edge.points[0]!.x).toBe(right);
    expect(edge.points[edge.points.length - 1]!.x).toBe(right);
    expect(Math.max(...edge.points.map((p) => p.x))).toBeGreaterThan(right + 10);
    expect(loop.width).toBeGreaterThan(right + 10);
  });

  it("places each edge label clear of every state box", () => {
    for (const { label } of layout.edges) {
      if (label === undefined) continue;
      for (const n of layout.nodes) {
        const apart =
          label.x >= n.x + n.width ||
          n.x >= label.x + label.width ||
          label.y >= n.y + n.height ||
          n.y >= label.y + label.height;
        expect(apart, `${label.text} overlaps ${n.node.id}`).toBe(true);
      }
    }
  });
});
