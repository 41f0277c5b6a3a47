import { describe, expect, it } from "vitest";
import { renderDiagram } from "../../../src/machine/graph/index.ts";
import { orderMachine } from "./fixtures.ts";
import { stateRects, viewBox, wellFormedProblem } from "./svg-check.ts";

const tags = (svg: string, pattern: RegExp): string[] => svg.match(pattern) ?? [];

describe("renderDiagram", () => {
  const svg = renderDiagram(orderMachine, { title: "Orders" });

  it("is a standalone SVG document with a matching viewBox and size", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')).toBe(true);
    expect(svg.endsWith("</svg>")).toBe(true);
    const { width, height } = viewBox(svg);
    expect(width).toBeGreaterThan(0);
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(wellFormedProblem(svg)).toBeUndefined();
  });

  it("draws every state, nested ones too, with its name and type", () => {
    const rects = stateRects(svg);
    for (const key of [
      "Validate",
      "Route",
      "Fulfil",
      "Fulfil/0/Ship",
      "Fulfil/1/Invoice",
      "Items/0/Reserve",
    ]) {
      expect(rects.has(key), key).toBe(true);
    }
    expect(svg).toMatch(/>Route<\/text><text[^>]*>Choice<\/text>/);
    expect(svg).toMatch(/>Fulfil<\/text><text[^>]*>Parallel<\/text>/);
  });

  it("draws start and end markers", () => {
    // One start per scope: top level, two Parallel branches, one Map processor.
    expect(tags(svg, /<circle class="start"/g)).toHaveLength(4);
    // Done, Failed; Track and Invoice in the branches; Reserve in the processor.
    expect(tags(svg, /<g class="end">/g)).toHaveLength(5);
  });

  it("labels Choice edges with their rules and the Default edge", () => {
    expect(svg).toContain(">$.total &gt; 100</text>");
    expect(svg).toContain(">$.country matches &quot;U*&quot;</text>");
    expect(svg).toMatch(/<g class="edge-label edge-label-default">.*?>Default<\/text>/);
  });

  it("draws Catch edges dashed, labelled with their errors", () => {
    const catches = tags(svg, /<path class="edge edge-catch"[^>]*>/g);
    expect(catches).toHaveLength(1);
    expect(catches[0]).toContain('stroke-dasharray="6 4"');
    expect(tags(svg, /<path class="edge edge-next"[^>]*>/g).every((p) => !p.includes("dasharray"))).toBe(
      true,
    );
    expect(svg).toContain(">States.Timeout, Order.Invalid</text>");
  });

  it("draws arrows with markers defined in the document", () => {
    expect(svg).toContain('<marker id="edgestate-arrow"');
    expect(svg).toContain('<marker id="edgestate-arrow-catch"');
    const edges = tags(svg, /<path class="edge [^>]*>/g);
    expect(edges.length).toBeGreaterThan(10);
    for (const edge of edges) expect(edge).toMatch(/marker-end="url\(#edgestate-arrow(-catch)?\)"/);
  });

  it("draws Parallel branches and the Map processor as group boxes inside their state", () => {
    expect(tags(svg, /<g class="group">/g)).toHaveLength(3);
    for (const label of ["Branch 1", "Branch 2", "Item processor"]) expect(svg).toContain(`>${label}</text>`);
    const rects = stateRects(svg);
    const fulfil = rects.get("Fulfil")!;
    const validate = rects.get("Validate")!;
    expect(fulfil.height).toBeGreaterThan(validate.height * 3);
  });

  it("uses no font smaller than 12px", () => {
    const sizes = tags(svg, /font-size="(\d+)"/g).map((s) => Number(/\d+/.exec(s)?.[0]));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
  });

  it("shortens long state names on the box and keeps the full name in its tooltip", () => {
    const name = `Process the ${"very ".repeat(13)}long step`;
    const out = renderDiagram({ StartAt: name, States: { [name]: { Type: "Pass", End: true } } });
    expect(out).toContain(`<title>${name} (Pass)</title>`);
    expect(out).toMatch(/>Process the very very [^<]*…<\/text>/);
    expect(out).not.toContain(`>${name}</text>`);
  });

  it("shows the title", () => {
    expect(svg).toContain("<title>Orders</title>");
    expect(svg).toMatch(/<text class="title"[^>]*>Orders<\/text>/);
  });

  it("draws no legend and no outcome without a status", () => {
    expect(svg).not.toContain('class="legend"');
    expect(svg).not.toContain("data-status");
  });
});

describe("renderDiagram with malformed definitions", () => {
  it.each([
    ["nothing", undefined],
    ["a string", "not a machine"],
    ["no States", { StartAt: "A" }],
    ["States as an array", { StartAt: "A", States: [] }],
    ["a state that is not an object", { StartAt: "A", States: { A: 5 } }],
    ["an unknown Next", { StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" } } }],
    ["a Parallel without Branches", { StartAt: "P", States: { P: { Type: "Parallel", End: true } } }],
    ["a Map with a broken processor", { StartAt: "M", States: { M: { Type: "Map", ItemProcessor: 3 } } }],
  ])("renders %s without throwing", (_, definition) => {
    const svg = renderDiagram(definition);
    expect(wellFormedProblem(svg)).toBeUndefined();
    expect(viewBox(svg).width).toBeGreaterThan(0);
  });

  it("marks an unknown Next as a dashed 'not defined' state", () => {
    const svg = renderDiagram({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nope" } } });
    expect(svg).toMatch(/<g class="state state-missing" data-state="Nope">/);
    expect(svg).toContain(">not defined</text>");
  });

  it("says so when there are no states", () => {
    expect(renderDiagram({})).toContain(">No states defined</text>");
  });
});

describe("the title", () => {
  const machine = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
  const titles = (svg: string) =>
    [...svg.matchAll(/<text class="title"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

  it("wraps a long execution name instead of cutting it off, keeping every character", () => {
    const execution = `nightly-reconciliation-${"a1b2c3d4".repeat(7)}`;
    const title = `orders-fulfilment-pipeline v12 · ${execution}`;
    const svg = renderDiagram(machine, { title });
    const lines = titles(svg);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join("").replaceAll(" ", "")).toBe(title.replaceAll(" ", ""));
    expect(svg).toContain(`<title>${title}</title>`);
    expect(svg).not.toContain("…");
  });

  it("keeps a short title on one line, and the diagram no wider than the wrapped title needs", () => {
    expect(titles(renderDiagram(machine, { title: "Orders v1" }))).toEqual(["Orders v1"]);
    const svg = renderDiagram(machine, { title: `m v1 · ${"x".repeat(80)}` });
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(360);
  });
});

describe("the legend", () => {
  it("wraps to a phone's width, so a small machine's diagram stays narrow", () => {
    const svg = renderDiagram(
      { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
      { title: "m v1 · run", status: { A: "succeeded" } },
    );
    expect(Number(/<svg [^>]*width="(\d+)"/.exec(svg)![1])).toBeLessThanOrEqual(360);
    for (const label of ["Succeeded", "Failed", "Caught error", "In progress", "Not reached"]) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });
});
