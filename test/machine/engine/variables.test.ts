import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run } from "./support/driver.ts";

const def = (States: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ StartAt: Object.keys(States)[0], States, ...extra }) as unknown as StateMachineDefinition;
const HTTP = "arn:aws:states:::http:invoke";

describe("variables in JSONPath states", () => {
  it("Assign sets variables that later paths read as $name, in Parameters and intrinsics", async () => {
    const r = await run(
      def({
        A: { Type: "Pass", Assign: { user: { name: "Ada" }, "n.$": "$.n" }, Next: "B" },
        B: {
          Type: "Pass",
          Parameters: { "who.$": "$user.name", "msg.$": "States.Format('{} x{}', $user.name, $n)" },
          End: true,
        },
      }),
      { n: 3 },
    );
    expect(r.snapshot.output).toEqual({ who: "Ada", msg: "Ada x3" });
  });

  it("Choice reads variables in Variable; the matched rule's Assign applies", async () => {
    const r = await run(
      def({
        A: { Type: "Pass", Assign: { limit: 10 }, Next: "C" },
        C: {
          Type: "Choice",
          Choices: [{ Variable: "$limit", NumericGreaterThan: 5, Assign: { picked: "high" }, Next: "D" }],
          Default: "D",
        },
        D: { Type: "Pass", Parameters: { "picked.$": "$picked" }, End: true },
      }),
    );
    expect(r.snapshot.output).toEqual({ picked: "high" });
  });

  it("a Task's Assign reads the result after ResultSelector; Wait reads SecondsPath from a variable", async () => {
    const r = await run(
      def({
        T: {
          Type: "Task",
          Resource: HTTP,
          ResultSelector: { "code.$": "$.StatusCode" },
          Assign: { "code.$": "$.code", "delay.$": "$.code" },
          ResultPath: null,
          Next: "W",
        },
        W: { Type: "Wait", SecondsPath: "$delay", Next: "P" },
        P: { Type: "Pass", Parameters: { "code.$": "$code" }, End: true },
      }),
      {},
      { tasks: () => ({ output: { StatusCode: 2 } }) },
    );
    expect(r.snapshot.output).toEqual({ code: 2 });
    expect(r.wakes).toHaveLength(1);
  });

  it("reading an unassigned variable fails the state like a missing path", async () => {
    const r = await run(def({ A: { Type: "Pass", Parameters: { "x.$": "$nope" }, End: true } }));
    expect(r.snapshot.error).toBe("States.Runtime");
  });

  it("a Catch's Assign reads the error output", async () => {
    const r = await run(
      def({
        T: {
          Type: "Task",
          Resource: HTTP,
          Catch: [
            { ErrorEquals: ["States.ALL"], Assign: { "err.$": "$.Error" }, ResultPath: null, Next: "D" },
          ],
          End: true,
        },
        D: { Type: "Pass", Parameters: { "err.$": "$err" }, End: true },
      }),
      {},
      { tasks: () => ({ error: "Boom" }) },
    );
    expect(r.snapshot.output).toEqual({ err: "Boom" });
  });
});

describe("variable scope", () => {
  const scoped = (Type: "Map" | "Parallel", language: "JSONPath" | "JSONata") => {
    const inner = {
      StartAt: "In",
      States: {
        In:
          language === "JSONata"
            ? { Type: "Pass", Assign: { inner: "set", outer: "changed" }, Output: "{% $outer %}", End: true }
            : {
                Type: "Pass",
                Assign: { inner: "set", outer: "changed" },
                Parameters: { "o.$": "$outer" },
                End: true,
              },
      },
    };
    const state =
      Type === "Map"
        ? {
            Type,
            ItemProcessor: inner,
            ...(language === "JSONata" ? { Items: [1, 2] } : { ItemsPath: "$.xs" }),
          }
        : { Type, Branches: [inner, inner] };
    return def(
      {
        A: { Type: "Pass", Assign: { outer: "kept" }, Next: "S" },
        S: { ...state, Next: "After" },
        After:
          language === "JSONata"
            ? {
                Type: "Pass",
                Output: { outer: "{% $outer %}", inner: "{% $exists($inner) %}", got: "{% $states.input %}" },
                End: true,
              }
            : { Type: "Pass", Parameters: { "outer.$": "$outer", "got.$": "$" }, End: true },
      },
      { QueryLanguage: language },
    );
  };

  for (const Type of ["Map", "Parallel"] as const) {
    it(`a ${Type} iteration reads outer variables, and its assignments do not leak out (JSONPath)`, async () => {
      const r = await run(scoped(Type, "JSONPath"), { xs: [1, 2] });
      expect(r.snapshot.output).toEqual({ outer: "kept", got: [{ o: "kept" }, { o: "kept" }] });
    });

    it(`a ${Type} iteration reads outer variables, and its assignments do not leak out (JSONata)`, async () => {
      const r = await run(scoped(Type, "JSONata"));
      expect(r.snapshot.output).toEqual({ outer: "kept", inner: false, got: ["kept", "kept"] });
    });
  }

  it("Output sees the variables as they were before the same state's Assign", async () => {
    const r = await run(
      def(
        {
          A: { Type: "Pass", Assign: { x: 1 }, Next: "B" },
          B: { Type: "Pass", Assign: { x: 2, y: "{% $x %}" }, Output: { x: "{% $x %}" }, Next: "C" },
          C: { Type: "Pass", Output: { x: "{% $x %}", y: "{% $y %}" }, End: true },
        },
        { QueryLanguage: "JSONata" },
      ),
    );
    const b = r.events.find((e) => e.type === "PassStateExited" && e.stateExitedEventDetails.name === "B");
    expect(b).toMatchObject({
      stateExitedEventDetails: { output: '{"x":1}', assignedVariables: { x: "2", y: "1" } },
    });
    expect(r.snapshot.output).toEqual({ x: 2, y: 1 });
  });

  it("a variable over 256 KiB fails the state with States.DataLimitExceeded", async () => {
    const r = await run(
      def(
        {
          A: {
            Type: "Pass",
            Assign: { big: "{% $join($map([1..270000], function() { 'x' })) %}" },
            End: true,
          },
        },
        { QueryLanguage: "JSONata" },
      ),
    );
    expect(r.snapshot.error).toBe("States.DataLimitExceeded");
  });

  it("variables persist across a Wait, in the snapshot", async () => {
    const r = await run(
      def({
        A: { Type: "Pass", Assign: { v: "here" }, Next: "W" },
        W: { Type: "Wait", Seconds: 5, Next: "B" },
        B: { Type: "Pass", Parameters: { "v.$": "$v" }, End: true },
      }),
    );
    expect(r.snapshot.output).toEqual({ v: "here" });
  });
});
