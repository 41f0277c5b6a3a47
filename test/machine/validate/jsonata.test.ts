import { describe, expect, it } from "vitest";
import { validateDefinition } from "../../../src/machine/validate/index.ts";
import { errorKeys, machine, warningKeys } from "./helpers.ts";

const jsonata = (states: Record<string, unknown>) => machine(states, { QueryLanguage: "JSONata" });
const S = "/States/S";

describe("JSONata definitions", () => {
  it("accepts a JSONata machine using every expression field", () => {
    const def = jsonata({
      S: {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Arguments: { ApiEndpoint: "{% $states.input.url %}", Method: "GET" },
        TimeoutSeconds: "{% 10 %}",
        HeartbeatSeconds: 5,
        Assign: { status: "{% $states.result.StatusCode %}" },
        Output: "{% $states.result.ResponseBody %}",
        Catch: [{ ErrorEquals: ["States.ALL"], Output: { e: "{% $states.errorOutput %}" }, Next: "F" }],
        Next: "C",
      },
      C: {
        Type: "Choice",
        Choices: [{ Condition: "{% $status = 200 %}", Assign: { ok: true }, Next: "W" }],
        Default: "F",
      },
      W: { Type: "Wait", Seconds: "{% $random() * 0 %}", Output: { waited: true }, Next: "M" },
      M: {
        Type: "Map",
        Items: "{% [1, 2, 3] %}",
        ItemSelector: { n: "{% $states.context.Map.Item.Value %}" },
        MaxConcurrency: "{% 2 %}",
        ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
        Next: "P",
      },
      P: {
        Type: "Parallel",
        Arguments: "{% $states.input %}",
        Branches: [{ StartAt: "B", States: { B: { Type: "Succeed", Output: "{% $ok %}" } } }],
        End: true,
      },
      F: { Type: "Fail", Error: "{% 'Bad' %}", Cause: "{% $string($status) %}" },
    });
    expect(errorKeys(def)).toEqual([]);
    expect(warningKeys(def)).toEqual([]);
  });

  it("refuses a syntax error at the pointer of the field", () => {
    expect(errorKeys(jsonata({ S: { Type: "Pass", Output: { a: ["{% 1 + %}"] }, End: true } }))).toEqual([
      `INVALID_JSONATA ${S}/Output/a/0`,
    ]);
  });

  it("refuses strings that only half look like an expression", () => {
    for (const bad of ["{% 1 %", "1 %}", "{%1%}", "{% \n1 %}"]) {
      expect(errorKeys(jsonata({ S: { Type: "Pass", Output: bad, End: true } })), bad).toEqual([
        `INVALID_JSONATA ${S}/Output`,
      ]);
    }
  });

  it("refuses JSONPath fields in a JSONata state, naming the mode", () => {
    const result = validateDefinition(
      jsonata({ S: { Type: "Pass", InputPath: "$.a", Parameters: {}, ResultPath: "$.r", End: true } }),
    );
    expect(result.diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual([
      `UNKNOWN_FIELD ${S}/InputPath`,
      `UNKNOWN_FIELD ${S}/Parameters`,
      `UNKNOWN_FIELD ${S}/ResultPath`,
    ]);
    expect(result.diagnostics[0]?.message).toContain("JSONPath-mode field");
  });

  it("refuses JSONata fields in a JSONPath state", () => {
    expect(errorKeys(machine({ S: { Type: "Pass", Output: "{% 1 %}", End: true } }))).toEqual([
      `UNKNOWN_FIELD ${S}/Output`,
    ]);
  });

  it("lets one state opt in to JSONata in a JSONPath machine", () => {
    const def = machine({
      S: { Type: "Pass", QueryLanguage: "JSONata", Output: { x: "{% 1 %}" }, Next: "T" },
      T: { Type: "Pass", Parameters: { "x.$": "$.x" }, End: true },
    });
    expect(errorKeys(def)).toEqual([]);
  });

  it("refuses a JSONPath state in a JSONata machine, except in a distributed Map's processor", () => {
    expect(errorKeys(jsonata({ S: { Type: "Pass", QueryLanguage: "JSONPath", End: true } }))).toEqual([
      `QUERY_LANGUAGE_CONFLICT ${S}/QueryLanguage`,
    ]);
  });

  it("refuses $eval, which Step Functions removes", () => {
    expect(errorKeys(jsonata({ S: { Type: "Pass", Output: "{% $eval('1') %}", End: true } }))).toEqual([
      `INVALID_JSONATA ${S}/Output`,
    ]);
  });

  it("takes numbers as literals or expressions, and checks literals' ranges", () => {
    const task = (extra: Record<string, unknown>) =>
      jsonata({ S: { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true, ...extra } });
    expect(errorKeys(task({ TimeoutSeconds: "{% 3 %}" }))).toEqual([]);
    expect(errorKeys(task({ TimeoutSeconds: 0 }))).toEqual([`INVALID_VALUE ${S}/TimeoutSeconds`]);
    expect(errorKeys(task({ TimeoutSeconds: "3" }))).toEqual([`INVALID_TYPE ${S}/TimeoutSeconds`]);
  });

  it("needs Condition on every JSONata Choice rule", () => {
    const def = jsonata({
      S: { Type: "Choice", Choices: [{ Variable: "$.a", IsPresent: true, Next: "T" }], Default: "T" },
      T: { Type: "Succeed" },
    });
    expect(errorKeys(def)).toEqual([
      `UNKNOWN_FIELD ${S}/Choices/0/Variable`,
      `UNKNOWN_FIELD ${S}/Choices/0/IsPresent`,
      `MISSING_FIELD ${S}/Choices/0`,
    ]);
  });

  it("ignores {% in comments, which are never evaluated", () => {
    expect(
      validateDefinition(jsonata({ A: { Type: "Pass", Comment: "{% not code", End: true } })).valid,
    ).toBe(true);
  });
});

describe("variables", () => {
  it("warns on a variable no Assign sets, in either language", () => {
    const def = machine({
      S: { Type: "Pass", Parameters: { "a.$": "$missing.x", "b.$": "$known" }, Next: "T" },
      T: {
        Type: "Pass",
        QueryLanguage: "JSONata",
        Output: "{% $nope & $known %}",
        Assign: { known: 1 },
        End: true,
      },
    });
    expect(errorKeys(def)).toEqual([]);
    expect(warningKeys(def)).toEqual([
      `UNASSIGNED_VARIABLE ${S}/Parameters/a.$`,
      "UNASSIGNED_VARIABLE /States/T/Output",
    ]);
  });

  it("does not count names bound inside the expression or provided by Step Functions", () => {
    const def = jsonata({
      S: {
        Type: "Pass",
        Output:
          "{% ($x := 1; $map([1], function($v) { $v + $x }) ~> $sum() + $hash('a', 'MD5') ~> $length()) %}",
        End: true,
      },
    });
    expect(warningKeys(def)).toEqual([]);
  });

  it("refuses a ResultPath that writes into a variable", () => {
    const def = machine({ S: { Type: "Pass", Assign: { v: 1 }, ResultPath: "$v", End: true } });
    expect(errorKeys(def)).toEqual([`INVALID_REFERENCE_PATH ${S}/ResultPath`]);
  });
});
