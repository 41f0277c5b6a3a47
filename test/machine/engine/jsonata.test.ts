import { describe, expect, it } from "vitest";
import type { StateMachineDefinition } from "../../../src/machine/types.ts";
import { run, T0, types } from "./support/driver.ts";

const machine = (States: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    QueryLanguage: "JSONata",
    StartAt: Object.keys(States)[0],
    States,
    ...extra,
  }) as unknown as StateMachineDefinition;

const HTTP = "arn:aws:states:::http:invoke";

describe("JSONata states", () => {
  it("Pass: Output over $states.input; without Output the input passes through", async () => {
    const r = await run(
      machine({
        A: { Type: "Pass", Output: { sum: "{% $sum($states.input.n) %}", lit: "x {% not %}" }, Next: "B" },
        B: { Type: "Pass", End: true },
      }),
      { n: [1, 2, 3] },
    );
    expect(r.snapshot.output).toEqual({ sum: 6, lit: "x {% not %}" });
  });

  it("result arrays are plain JSON arrays (no jsonata sequence flag survives)", async () => {
    const r = await run(machine({ A: { Type: "Pass", Output: "{% $states.input.items.v %}", End: true } }), {
      items: [{ v: 1 }, { v: 2 }],
    });
    expect(r.snapshot.output).toEqual([1, 2]);
    expect(Object.keys(r.snapshot.output as object)).toEqual(["0", "1"]);
  });

  it("Task: Arguments go to the task, Output and Assign read $states.result", async () => {
    const r = await run(
      machine({
        T: {
          Type: "Task",
          Resource: HTTP,
          Arguments: { ApiEndpoint: "{% $states.input.url %}", Method: "GET" },
          Assign: { code: "{% $states.result.StatusCode %}" },
          Output: { body: "{% $states.result.ResponseBody %}", input: "{% $states.input.url %}" },
          Next: "P",
        },
        P: { Type: "Pass", Output: "{% $code %}", End: true },
      }),
      { url: "https://example.com" },
      { tasks: () => ({ output: { StatusCode: 201, ResponseBody: { ok: true } } }) },
    );
    expect(r.invokes[0]?.parameters).toEqual({ ApiEndpoint: "https://example.com", Method: "GET" });
    expect(r.snapshot.output).toBe(201);
    const exited = r.events.find((e) => e.type === "TaskStateExited");
    expect(exited).toMatchObject({
      stateExitedEventDetails: {
        output: '{"body":{"ok":true},"input":"https://example.com"}',
        assignedVariables: { code: "201" },
        assignedVariablesDetails: { truncated: false },
      },
    });
  });

  it("Task: TimeoutSeconds may be an expression", async () => {
    const r = await run(
      machine({ T: { Type: "Task", Resource: HTTP, TimeoutSeconds: "{% $states.input.t %}", End: true } }),
      { t: 7 },
      { tasks: () => "hang" },
    );
    expect(r.snapshot.error).toBe("States.Timeout");
    expect(r.now).toBe(T0 + 7000);
  });

  it("Choice: the first true Condition wins; its Assign and Output apply", async () => {
    const def = machine({
      C: {
        Type: "Choice",
        Choices: [
          {
            Condition: "{% $states.input.n > 10 %}",
            Assign: { size: "big" },
            Output: { n: "{% $states.input.n %}" },
            Next: "D",
          },
          { Condition: "{% $states.input.n > 5 %}", Next: "D" },
        ],
        Default: "D",
        Assign: { size: "small" },
      },
      D: { Type: "Pass", Output: { size: "{% $size %}", input: "{% $states.input %}" }, End: true },
    });
    expect((await run(def, { n: 50 })).snapshot.output).toEqual({ size: "big", input: { n: 50 } });
    expect((await run(def, { n: 1 })).snapshot.output).toEqual({ size: "small", input: { n: 1 } });
  });

  it("Choice: a Condition that is not a boolean is States.QueryEvaluationError", async () => {
    const r = await run(
      machine({
        C: { Type: "Choice", Choices: [{ Condition: "{% 1 %}", Next: "D" }] },
        D: { Type: "Succeed" },
      }),
    );
    expect(r.snapshot.error).toBe("States.QueryEvaluationError");
  });

  it("Wait: Seconds from an expression; Output evaluated on entry", async () => {
    const r = await run(
      machine({
        W: {
          Type: "Wait",
          Seconds: "{% $states.input.s %}",
          Output: { waited: "{% $states.input.s %}" },
          End: true,
        },
      }),
      { s: 30 },
    );
    expect(r.now).toBe(T0 + 30_000);
    expect(r.snapshot.output).toEqual({ waited: 30 });
  });

  it("Wait: Timestamp from an expression", async () => {
    const r = await run(machine({ W: { Type: "Wait", Timestamp: "{% $states.input.at %}", End: true } }), {
      at: "2026-01-01T12:01:00Z",
    });
    expect(r.now).toBe(T0 + 60_000);
  });

  it("Fail: Error and Cause from expressions", async () => {
    const r = await run(
      machine({
        F: {
          Type: "Fail",
          Error: "{% 'E.' & $states.input.kind %}",
          Cause: "{% $string($states.input.n) %}",
        },
      }),
      { kind: "Bad", n: 3 },
    );
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "E.Bad", cause: "3" });
  });

  it("Succeed: Output", async () => {
    const r = await run(machine({ S: { Type: "Succeed", Output: "{% $states.input.a * 2 %}" } }), { a: 21 });
    expect(r.snapshot.output).toBe(42);
  });

  it("Map: Items, ItemSelector with $states.context.Map.Item, MaxConcurrency and Output", async () => {
    const r = await run(
      machine({
        M: {
          Type: "Map",
          Items: "{% $states.input.xs %}",
          ItemSelector: {
            v: "{% $states.context.Map.Item.Value %}",
            i: "{% $states.context.Map.Item.Index %}",
          },
          MaxConcurrency: "{% 1 %}",
          ItemProcessor: {
            StartAt: "I",
            States: {
              I: { Type: "Pass", Output: "{% $states.input.v * 10 + $states.input.i %}", End: true },
            },
          },
          Output: { results: "{% $states.result %}" },
          End: true,
        },
      }),
      { xs: [1, 2, 3] },
    );
    expect(r.snapshot.output).toEqual({ results: [10, 21, 32] });
  });

  it("Map: ToleratedFailureCount and ToleratedFailurePercentage may be expressions", async () => {
    const map = (limits: Record<string, unknown>) =>
      machine({
        M: {
          Type: "Map",
          Items: [1, 2, 3, 4],
          ItemProcessor: {
            StartAt: "I",
            States: { I: { Type: "Task", Resource: HTTP, End: true } },
          },
          ...limits,
          End: true,
        },
      });
    const tasks = () => ({ error: "Boom" });
    const tolerant = await run(map({ ToleratedFailureCount: "{% 4 %}" }), {}, { tasks });
    expect(tolerant.snapshot.status).toBe("SUCCEEDED");
    const strict = await run(map({ ToleratedFailurePercentage: "{% 10 %}" }), {}, { tasks });
    expect(strict.snapshot.error).toBe("States.ExceedToleratedFailureThreshold");
  });

  it("Task: HeartbeatSeconds may be an expression", async () => {
    const r = await run(
      machine({
        T: { Type: "Task", Resource: `${HTTP}.waitForTaskToken`, HeartbeatSeconds: "{% 3 %}", End: true },
      }),
      {},
      { tasks: () => "hang" },
    );
    expect(r.snapshot.error).toBe("States.HeartbeatTimeout");
    expect(r.now).toBe(T0 + 3000);
  });

  it("Map: Items that are not an array fail the state", async () => {
    const r = await run(
      machine({
        M: {
          Type: "Map",
          Items: "{% 5 %}",
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Succeed" } } },
          End: true,
        },
      }),
    );
    expect(r.snapshot.error).toBe("States.QueryEvaluationError");
  });

  it("Parallel: Arguments feed every branch; Output reads the results", async () => {
    const r = await run(
      machine({
        P: {
          Type: "Parallel",
          Arguments: { x: "{% $states.input.x %}" },
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Output: "{% $states.input.x + 1 %}", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Output: "{% $states.input.x + 2 %}", End: true } } },
          ],
          Output: "{% $sum($states.result) %}",
          End: true,
        },
      }),
      { x: 1 },
    );
    expect(r.snapshot.output).toBe(5);
  });

  it("Catch: Output over $states.errorOutput, Assign beside it", async () => {
    const r = await run(
      machine({
        T: {
          Type: "Task",
          Resource: HTTP,
          Catch: [
            {
              ErrorEquals: ["States.ALL"],
              Assign: { failed: "{% $states.errorOutput.Error %}" },
              Output: { was: "{% $states.input.x %}", cause: "{% $states.errorOutput.Cause %}" },
              Next: "D",
            },
          ],
          End: true,
        },
        D: { Type: "Pass", Output: { out: "{% $states.input %}", failed: "{% $failed %}" }, End: true },
      }),
      { x: 1 },
      { tasks: () => ({ error: "Boom", cause: "why" }) },
    );
    expect(r.snapshot.output).toEqual({ out: { was: 1, cause: "why" }, failed: "Boom" });
  });

  it("$states.context carries the context object", async () => {
    const r = await run(
      machine({
        A: {
          Type: "Pass",
          Output: "{% $states.context.State.Name & '@' & $states.context.Execution.Name %}",
          End: true,
        },
      }),
    );
    expect(r.snapshot.output).toBe("A@exec-1");
  });
});

describe("JSONata evaluation errors", () => {
  it("an expression that yields nothing is States.QueryEvaluationError, with EvaluationFailed first", async () => {
    const r = await run(machine({ A: { Type: "Pass", Output: "{% $states.input.missing %}", End: true } }));
    expect(r.snapshot).toMatchObject({ status: "FAILED", error: "States.QueryEvaluationError" });
    expect(r.snapshot.cause).toContain("returned nothing (undefined)");
    expect(types(r.events)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "EvaluationFailed",
      "ExecutionFailed",
    ]);
    expect(r.events[2]).toMatchObject({
      evaluationFailedEventDetails: { state: "A", error: "States.QueryEvaluationError", location: "Output" },
    });
  });

  it("a runtime error names jsonata's code", async () => {
    const r = await run(machine({ A: { Type: "Pass", Output: "{% 'a' + 1 %}", End: true } }));
    expect(r.snapshot.error).toBe("States.QueryEvaluationError");
    expect(r.snapshot.cause).toContain("T2001");
  });

  it("a Task's evaluation error can be retried and caught", async () => {
    const r = await run(
      machine({
        T: {
          Type: "Task",
          Resource: HTTP,
          Output: "{% $states.result.nothing %}",
          Catch: [{ ErrorEquals: ["States.QueryEvaluationError"], Next: "D" }],
          End: true,
        },
        D: { Type: "Pass", End: true },
      }),
      {},
      { tasks: () => ({ output: {} }) },
    );
    expect(r.snapshot.status).toBe("SUCCEEDED");
    expect(r.snapshot.output).toMatchObject({ Error: "States.QueryEvaluationError" });
  });

  it("a runaway recursion ends in a clean failure, not a hung isolate", async () => {
    const r = await run(
      machine({ A: { Type: "Pass", Output: "{% ($f := function($n) { $f($n + 1) }; $f(0)) %}", End: true } }),
    );
    expect(r.snapshot.error).toBe("States.QueryEvaluationError");
  });
});

describe("Step Functions' JSONata functions", () => {
  const value = async (expr: string, input: unknown = {}) =>
    (await run(machine({ A: { Type: "Pass", Output: `{% ${expr} %}`, End: true } }), input as never))
      .snapshot;

  it("$partition, $range, $hash, $parse", async () => {
    expect((await value("$partition([1,2,3,4,5], 2)")).output).toEqual([[1, 2], [3, 4], [5]]);
    expect((await value("$range(0, 10, 5)")).output).toEqual([0, 5, 10]);
    expect((await value("$hash('input data', 'SHA-1')")).output).toBe(
      "aaff4a450a104cd177d28d18d74485e8cae074b7",
    );
    expect((await value("$parse('{\"a\":[1]}')")).output).toEqual({ a: [1] });
  });

  it("$random with a seed repeats; without one it uses the injected source", async () => {
    const a = (await value("$random(7)")).output;
    expect((await value("$random(7)")).output).toBe(a);
    expect((await value("$random()")).output).toBe(0.5);
  });

  it("$uuid is a version 4 UUID; $now and $millis read the interpreter's clock", async () => {
    expect((await value("$uuid()")).output).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect((await value("$now()")).output).toBe("2026-01-01T12:00:00.000Z");
    expect((await value("$millis()")).output).toBe(T0);
  });

  it("$eval is not available", async () => {
    const r = await value("$eval('1')");
    expect(r.error).toBe("States.QueryEvaluationError");
    expect(r.cause).toContain("$eval is not available");
  });

  it("a bad argument is States.QueryEvaluationError", async () => {
    expect((await value("$hash('x', 'SHA-3')")).error).toBe("States.QueryEvaluationError");
  });
});
