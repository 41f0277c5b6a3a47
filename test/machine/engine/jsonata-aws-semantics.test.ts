// Where edgestate's JSONata and variables must behave as AWS Step Functions documents them, and
// did not: each case is a definition AWS treats one way and edgestate treated another.
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html

import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run } from "./support/driver.ts";

const machine = (States: Record<string, unknown>) =>
  ({
    QueryLanguage: "JSONata",
    StartAt: Object.keys(States)[0],
    States,
  }) as unknown as StateMachineDefinition;
const pass = (fields: Record<string, unknown>) => ({ Type: "Pass", End: true, ...fields });

describe("a JSONata result that is not JSON fails the state", () => {
  // A state's output and variables are JSON; a function has no JSON form. Before, `$sum` came out
  // as jsonata's internal object, a lambda as its closure (with the isolate's wall clock), a regex
  // as null, and the execution SUCCEEDED with that.
  for (const [label, expression] of [
    ["a builtin", "$sum"],
    ["a lambda", "function($x) { $x }"],
    ["a regex", "/ab/"],
    ["a function inside an array", "[1, $sum]"],
    ["a function inside an object", "{ 'f': function() { 1 } }"],
  ] as const) {
    it(`Output: ${label}`, async () => {
      const r = await run(machine({ A: pass({ Output: `{% ${expression} %}` }) }));
      expect(r.snapshot.status).toBe("FAILED");
      expect(r.snapshot.error).toBe("States.QueryEvaluationError");
      expect(r.snapshot.cause).toContain("returned a function");
    });
  }

  it("Assign: a lambda is not stored as a variable", async () => {
    const r = await run(
      machine({
        A: { Type: "Pass", Assign: { f: "{% function($x) { $x } %}" }, Next: "B" },
        B: pass({ Output: "{% $f(3) %}" }),
      }),
    );
    expect(r.snapshot.error).toBe("States.QueryEvaluationError");
    expect(r.snapshot.cause).toContain("'Assign' returned a function");
  });

  it("Output that merely uses functions is fine", async () => {
    const r = await run(machine({ A: pass({ Output: "{% $map([1, 2], function($v) { $v * 2 }) %}" }) }));
    expect(r.snapshot.output).toEqual([2, 4]);
  });
});

describe("a JSONata number JSON cannot hold fails the state", () => {
  // jsonata's arithmetic gives NaN and Infinity (0/0, $sum([1e308, 1e308])) where its functions
  // refuse them (D3061); JSON has neither, and JSON.stringify made them null, so the state
  // SUCCEEDED with a null nobody wrote.
  for (const expression of ["0/0", "$sum([1e308, 1e308])", "{ 'a': [1e308 * 10] }"]) {
    it(`Output "{% ${expression} %}"`, async () => {
      const r = await run(machine({ A: pass({ Output: `{% ${expression} %}` }) }));
      expect(r.snapshot.status).toBe("FAILED");
      expect(r.snapshot.error).toBe("States.QueryEvaluationError");
      expect(r.snapshot.cause).toMatch(/returned the number (NaN|Infinity), which is not JSON/);
    });
  }

  it("a Wait's Seconds too", async () => {
    const wait = await run(machine({ W: { Type: "Wait", Seconds: "{% 1e308 * 10 %}", End: true } }));
    expect(wait.snapshot.error).toBe("States.QueryEvaluationError");
  });
});

describe("an expression has no input document: `$` and `$$` at the top level", () => {
  // transforming-data.html: in Step Functions, `$` and `$$` cannot be used at the top level of an
  // expression (the state input is `$states.input`). jsonata was given null as its input, so
  // `{% $ %}` gave null and the state SUCCEEDED with a null output.
  for (const expression of ["$", "$$", "$string($)"]) {
    it(`Output "{% ${expression} %}" fails with States.QueryEvaluationError`, async () => {
      const r = await run(machine({ A: pass({ Output: `{% ${expression} %}` }) }), { a: 1 });
      expect(r.snapshot.status).toBe("FAILED");
      expect(r.snapshot.error).toBe("States.QueryEvaluationError");
    });
  }

  it("`$` inside a path or predicate still means the current item", async () => {
    const r = await run(
      machine({
        A: pass({ Output: "{% [$states.input.items[$.price > 1].price, $states.input.items.($.price)] %}" }),
      }),
      { items: [{ price: 1 }, { price: 2 }] },
    );
    expect(r.snapshot.output).toEqual([2, 1, 2]);
  });
});

describe("variables are bounded in depth like every other state data", () => {
  it("an Assign nested past 128 levels fails with States.DataLimitExceeded", async () => {
    const deep = "{% $reduce([1..200], function($acc, $i) { { 'a': $acc } }, 0) %}";
    const r = await run(machine({ A: pass({ Assign: { v: deep } }) }));
    expect(r.snapshot.error).toBe("States.DataLimitExceeded");
    expect(r.snapshot.cause).toBe("The variable 'v' is nested deeper than 128 levels.");
  });

  it("a JSONPath Assign too", async () => {
    let value: unknown = 0;
    for (let i = 0; i < 200; i++) value = { a: value };
    const def = { StartAt: "A", States: { A: { Type: "Pass", Assign: { v: value }, End: true } } };
    const r = await run(def as unknown as StateMachineDefinition);
    expect(r.snapshot.error).toBe("States.DataLimitExceeded");
  });

  it("128 levels are fine", async () => {
    const deep = "{% $reduce([1..127], function($acc, $i) { { 'a': $acc } }, 0) %}";
    const r = await run(machine({ A: pass({ Assign: { v: deep }, Output: "ok" }) }));
    expect(r.snapshot.output).toBe("ok");
  });
});

describe("a Fail state's Cause is capped at 32,768 characters", () => {
  // ExecutionFailedEventDetails.cause is at most 32,768 characters
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html),
  // and task failures here are cut there already; a Fail state's expression made any length.
  it("JSONata Cause", async () => {
    const r = await run(machine({ F: { Type: "Fail", Error: "E", Cause: "{% $pad('', 100000, 'x') %}" } }));
    expect(r.snapshot.error).toBe("E");
    expect(r.snapshot.cause).toHaveLength(32_768);
    const failed = r.events.find((e) => e.type === "ExecutionFailed");
    expect(JSON.stringify(failed).length).toBeLessThan(40_000);
  });

  it("JSONPath CausePath", async () => {
    const def = { StartAt: "F", States: { F: { Type: "Fail", Error: "E", CausePath: "$.why" } } };
    const r = await run(def as unknown as StateMachineDefinition, { why: "y".repeat(40_000) });
    expect(r.snapshot.cause).toBe("y".repeat(32_768));
  });

  it("a short Cause is kept whole", async () => {
    const r = await run(machine({ F: { Type: "Fail", Error: "E", Cause: "{% 'because' %}" } }));
    expect(r.snapshot.cause).toBe("because");
  });
});

describe("a variable named like a function", () => {
  // One variable, one value, whatever reads it: a variable named `range` (or hash, uuid, parse,
  // partition, random, now, millis) was hidden in JSONata by Step Functions' function of that name,
  // while JSONPath's `$range` read the variable, and a variable named `sum` hid jsonata's $sum.
  it("JSONata reads the variable, as JSONPath does", async () => {
    const def = {
      StartAt: "Set",
      States: {
        Set: { Type: "Pass", Assign: { range: [1, 2], hash: "h" }, Next: "Path" },
        Path: { Type: "Pass", Parameters: { "range.$": "$range", "hash.$": "$hash" }, Next: "Query" },
        Query: {
          Type: "Pass",
          QueryLanguage: "JSONata",
          Output: { path: "{% $states.input %}", query: { range: "{% $range %}", hash: "{% $hash %}" } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const r = await run(def);
    expect(r.snapshot.output).toEqual({
      path: { range: [1, 2], hash: "h" },
      query: { range: [1, 2], hash: "h" },
    });
  });

  it("the functions are there when no variable takes the name", async () => {
    const r = await run(machine({ A: pass({ Output: "{% $range(1, 5, 2) %}" }) }));
    expect(r.snapshot.output).toEqual([1, 3, 5]);
  });
});
