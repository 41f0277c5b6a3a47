import { describe, expect, it } from "vitest";
import { renderDiagram, type StateRunStatus } from "../../../src/machine/graph/index.ts";
import { orderMachine } from "./fixtures.ts";
import { wellFormedProblem } from "./svg-check.ts";

function statusOf(svg: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`data-state="${escaped}" data-status="([a-z_]+)"`).exec(svg)?.[1];
}

function fillOf(svg: string, key: string): string | undefined {
  return new RegExp(`data-state="${key}"[^>]*><title>[^<]*</title><rect [^>]*fill="(#[0-9a-f]+)"`).exec(
    svg,
  )?.[1];
}

describe("renderDiagram with execution status", () => {
  const status: Record<string, StateRunStatus> = {
    Validate: "caught",
    Notify: "succeeded",
    Failed: "failed",
    Route: "in_progress",
    Fulfil: "succeeded",
    Ship: "succeeded",
    "Fulfil/1/Invoice": "failed",
  };
  const svg = renderDiagram(orderMachine, { status });

  it("colours every state by its outcome and writes the outcome on it", () => {
    expect(statusOf(svg, "Validate")).toBe("caught");
    expect(statusOf(svg, "Failed")).toBe("failed");
    expect(statusOf(svg, "Route")).toBe("in_progress");
    expect(svg).toMatch(/>Task · caught error<\/text>/);
    expect(svg).toMatch(/>Choice · in progress<\/text>/);
    const fills = new Set(["Validate", "Notify", "Failed", "Route", "Hold"].map((k) => fillOf(svg, k)));
    expect(fills.size).toBe(5);
  });

  it("marks states without an entry as not reached", () => {
    expect(statusOf(svg, "Hold")).toBe("not_reached");
    expect(statusOf(svg, "Items/0/Reserve")).toBe("not_reached");
  });

  it("colours nested states by path key, or by plain name as a fallback", () => {
    expect(statusOf(svg, "Fulfil/1/Invoice")).toBe("failed");
    expect(statusOf(svg, "Fulfil/0/Ship")).toBe("succeeded");
  });

  it("prefers the path key when a name is used in more than one scope", () => {
    const def = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [0, 1].map(() => ({ StartAt: "Work", States: { Work: { Type: "Pass", End: true } } })),
        },
      },
    };
    const out = renderDiagram(def, { status: { Work: "succeeded", "P/1/Work": "failed" } });
    expect(statusOf(out, "P/0/Work")).toBe("succeeded");
    expect(statusOf(out, "P/1/Work")).toBe("failed");
  });

  it("draws a legend with every outcome", () => {
    expect(svg).toContain('<g class="legend">');
    for (const label of ["Succeeded", "Failed", "Caught error", "In progress", "Not reached"]) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it("ignores inherited keys and values that are not outcomes", () => {
    const def = {
      StartAt: "constructor",
      States: { constructor: { Type: "Pass", Next: "toString" }, toString: { Type: "Succeed" } },
    };
    const out = renderDiagram(def, {
      status: { toString: "exploded" } as unknown as Record<string, StateRunStatus>,
    });
    expect(statusOf(out, "constructor")).toBe("not_reached");
    expect(statusOf(out, "toString")).toBe("not_reached");
    expect(wellFormedProblem(out)).toBeUndefined();
  });

  it("keeps the same layout whatever the outcomes", () => {
    const plain = renderDiagram(orderMachine);
    const boxes = (s: string) => s.match(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" rx="6"/g);
    expect(boxes(svg)).toEqual(boxes(plain));
  });
});
