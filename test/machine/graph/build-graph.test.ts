import { describe, expect, it } from "vitest";
import { buildGraph, type DiagramGraph, type StateNode } from "../../../src/machine/graph/index.ts";
import { orderMachine } from "./fixtures.ts";

function state(graph: DiagramGraph, name: string): StateNode {
  const node = graph.nodes.find((n): n is StateNode => n.kind === "state" && n.name === name);
  if (node === undefined) throw new Error(`no state ${name}`);
  return node;
}

const edgesFrom = (graph: DiagramGraph, name: string) =>
  graph.edges.filter((e) => e.from === `state:${name}`).map(({ to, kind, label }) => ({ to, kind, label }));

describe("buildGraph", () => {
  const graph = buildGraph(orderMachine);

  it("has one node per state with its name and type", () => {
    const states = graph.nodes.filter((n) => n.kind === "state");
    expect(states.map((n) => [n.name, n.type])).toEqual([
      ["Validate", "Task"],
      ["Route", "Choice"],
      ["Hold", "Wait"],
      ["Review", "Pass"],
      ["Fulfil", "Parallel"],
      ["Items", "Map"],
      ["Done", "Succeed"],
      ["Notify", "Task"],
      ["Failed", "Fail"],
    ]);
  });

  it("starts with a start marker pointing at StartAt", () => {
    expect(graph.nodes[0]).toEqual({ kind: "start", id: "start" });
    expect(graph.edges).toContainEqual({ from: "start", to: "state:Validate", kind: "start" });
  });

  it("draws Next edges for Task, Pass, Wait, Parallel and Map", () => {
    expect(edgesFrom(graph, "Review")).toEqual([{ to: "state:Fulfil", kind: "next", label: undefined }]);
    expect(edgesFrom(graph, "Hold")).toEqual([{ to: "state:Route", kind: "next", label: undefined }]);
    expect(edgesFrom(graph, "Fulfil")).toEqual([{ to: "state:Items", kind: "next", label: undefined }]);
    expect(edgesFrom(graph, "Items")).toEqual([{ to: "state:Done", kind: "next", label: undefined }]);
  });

  it("labels Choice edges with their rule and the Default edge with Default", () => {
    expect(edgesFrom(graph, "Route")).toEqual([
      { to: "state:Review", kind: "choice", label: "$.total > 100" },
      { to: "state:Fulfil", kind: "choice", label: '$.country matches "U*"' },
      { to: "state:Hold", kind: "default", label: "Default" },
    ]);
  });

  it("draws Catch edges labelled with their error names", () => {
    expect(edgesFrom(graph, "Validate")).toEqual([
      { to: "state:Route", kind: "next", label: undefined },
      { to: "state:Notify", kind: "catch", label: "States.Timeout, Order.Invalid" },
    ]);
  });

  it("puts an end marker after End, Succeed and Fail states only", () => {
    const ends = graph.edges.filter((e) => e.kind === "end").map((e) => e.from);
    expect(ends).toEqual(["state:Done", "state:Failed"]);
    const branch = state(graph, "Fulfil").groups[0]!.graph;
    expect(branch.edges.filter((e) => e.kind === "end").map((e) => e.from)).toEqual(["state:Track"]);
  });

  it("nests each Parallel branch as its own group", () => {
    const fulfil = state(graph, "Fulfil");
    expect(fulfil.groups.map((g) => g.label)).toEqual(["Branch 1", "Branch 2"]);
    const [first, second] = fulfil.groups;
    expect(first!.graph.nodes.map((n) => n.id)).toEqual(["start", "state:Ship", "state:Track", "end:Track"]);
    expect(edgesFrom(first!.graph, "Ship")).toEqual([{ to: "state:Track", kind: "next", label: undefined }]);
    expect(state(second!.graph, "Invoice").key).toBe("Fulfil/1/Invoice");
  });

  it("nests a Map item processor, or a legacy Iterator, as one group", () => {
    const items = state(graph, "Items");
    expect(items.groups.map((g) => g.label)).toEqual(["Item processor"]);
    expect(state(items.groups[0]!.graph, "Reserve").key).toBe("Items/0/Reserve");
    const legacy = buildGraph({
      StartAt: "M",
      States: {
        M: { Type: "Map", Iterator: { StartAt: "X", States: { X: { Type: "Pass", End: true } } }, End: true },
      },
    });
    expect(state(state(legacy, "M").groups[0]!.graph, "X").key).toBe("M/0/X");
  });

  it("shows an unknown Next, Default or StartAt as a missing placeholder", () => {
    const broken = buildGraph({
      StartAt: "Nowhere",
      States: {
        A: { Type: "Pass", Next: "Typo" },
        C: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "Typo" }], Default: "Gone" },
      },
    });
    const missing = broken.nodes.filter((n) => n.kind === "missing").map((n) => n.id);
    expect(missing).toEqual(["missing:Nowhere", "missing:Typo", "missing:Gone"]);
    expect(broken.edges).toContainEqual({ from: "start", to: "missing:Nowhere", kind: "start" });
    expect(edgesFrom(broken, "A")).toEqual([{ to: "missing:Typo", kind: "next", label: undefined }]);
  });

  it("does not throw on malformed definitions", () => {
    for (const def of [undefined, null, 42, "x", [], {}, { States: [] }, { StartAt: 3, States: { A: 5 } }]) {
      expect(() => buildGraph(def)).not.toThrow();
    }
    const odd = buildGraph({ States: { A: null, B: { Type: 7, Next: 9, Catch: "no" } } });
    expect(odd.nodes.filter((n) => n.kind === "state").map((n) => [n.name, n.type])).toEqual([
      ["A", "?"],
      ["B", "?"],
    ]);
    expect(odd.edges).toEqual([]);
  });

  it("does not treat inherited property names as states", () => {
    const g = buildGraph({ StartAt: "A", States: { A: { Type: "Pass", Next: "constructor" } } });
    expect(g.nodes.map((n) => n.id)).toContain("missing:constructor");
  });
});
