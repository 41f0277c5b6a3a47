import { describe, expect, it } from "vitest";
import { renderDiagram } from "../../../src/machine/graph/index.ts";
import { fiftyStates } from "./fixtures.ts";
import { overlaps, stateRects, viewBox, wellFormedProblem } from "./svg-check.ts";

function chain(length: number): { StartAt: string; States: Record<string, unknown> } {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) {
    states[`Step ${i}`] = i === length - 1 ? { Type: "Succeed" } : { Type: "Pass", Next: `Step ${i + 1}` };
  }
  return { StartAt: "Step 0", States: states };
}

describe("a 50-state machine", () => {
  const svg = renderDiagram(fiftyStates());
  const rects = stateRects(svg);

  it("has every state's box and label", () => {
    expect(rects.size).toBe(50);
    for (let i = 0; i < 50; i++) expect(svg).toContain(`>Step ${i}</text>`);
  });

  it("has no overlapping state boxes", () => {
    const boxes = [...rects.entries()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, ra] = boxes[i]!;
        const [b, rb] = boxes[j]!;
        expect(overlaps(ra, rb), `${a} overlaps ${b}`).toBe(false);
      }
    }
  });

  it("keeps every box inside the viewBox, which grows with the machine", () => {
    const { width, height } = viewBox(svg);
    for (const r of rects.values()) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.width).toBeLessThanOrEqual(width);
      expect(r.y + r.height).toBeLessThanOrEqual(height);
    }
    const small = viewBox(renderDiagram(chain(5)));
    expect(height).toBeGreaterThan(small.height * 5);
    expect(viewBox(renderDiagram(chain(50))).height).toBeGreaterThan(small.height * 5);
  });

  it("stays well-formed", () => {
    expect(wellFormedProblem(svg)).toBeUndefined();
  });
});
