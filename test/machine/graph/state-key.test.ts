import { describe, expect, it } from "vitest";
import { buildGraph, type DiagramGraph, stateKey } from "../../../src/machine/graph/index.ts";
import { orderMachine } from "./fixtures.ts";

function keys(graph: DiagramGraph): string[] {
  return graph.nodes.flatMap((node) =>
    node.kind === "state" ? [node.key, ...node.groups.flatMap((g) => keys(g.graph))] : [],
  );
}

describe("stateKey", () => {
  it("is the plain name at the top level", () => {
    expect(stateKey([], "Validate")).toBe("Validate");
    expect(stateKey([], "a/b~c")).toBe("a/b~c");
  });

  it("is a path of enclosing state and branch index for nested states", () => {
    expect(stateKey([{ state: "Parallel1", branch: 0 }], "StateA")).toBe("Parallel1/0/StateA");
    expect(
      stateKey(
        [
          { state: "P", branch: 1 },
          { state: "M", branch: 0 },
        ],
        "X",
      ),
    ).toBe("P/1/M/0/X");
  });

  it("escapes / and ~ in nested segments like JSON Pointer", () => {
    expect(stateKey([{ state: "a/b", branch: 0 }], "c~d")).toBe("a~1b/0/c~0d");
  });

  it("is what buildGraph puts on every node", () => {
    expect(keys(buildGraph(orderMachine))).toEqual([
      "Validate",
      "Route",
      "Hold",
      "Review",
      "Fulfil",
      "Fulfil/0/Ship",
      "Fulfil/0/Track",
      "Fulfil/1/Invoice",
      "Items",
      "Items/0/Reserve",
      "Done",
      "Notify",
      "Failed",
    ]);
  });
});
