// Definitions AWS Step Functions refuses at CreateStateMachine that edgestate accepted, in JSONata
// states and variables.

import { describe, expect, it } from "vitest";
import { errorKeys, machine, warningKeys } from "./helpers.ts";

const jsonata = (states: Record<string, unknown>) => machine(states, { QueryLanguage: "JSONata" });
const HTTP = "arn:aws:states:::http:invoke";

describe("a JSONata Task: HeartbeatSeconds below TimeoutSeconds", () => {
  // Task state fields (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html):
  // HeartbeatSeconds must be smaller than TimeoutSeconds, in either query language. The check ran
  // only for JSONPath Tasks, so a JSONata Task could be stored with a heartbeat that never fires.
  it("refuses literal numbers that break it, as in a JSONPath Task", () => {
    const task = { Type: "Task", Resource: HTTP, TimeoutSeconds: 5, HeartbeatSeconds: 10, End: true };
    expect(errorKeys(machine({ T: task }))).toEqual([
      "HEARTBEAT_NOT_LESS_THAN_TIMEOUT /States/T/HeartbeatSeconds",
    ]);
    expect(errorKeys(jsonata({ T: task }))).toEqual([
      "HEARTBEAT_NOT_LESS_THAN_TIMEOUT /States/T/HeartbeatSeconds",
    ]);
    expect(errorKeys(jsonata({ T: { ...task, HeartbeatSeconds: 5 } }))).toEqual([
      "HEARTBEAT_NOT_LESS_THAN_TIMEOUT /States/T/HeartbeatSeconds",
    ]);
  });

  it("accepts a smaller heartbeat, and expressions (checked when evaluated)", () => {
    const task = { Type: "Task", Resource: HTTP, TimeoutSeconds: 10, HeartbeatSeconds: 5, End: true };
    expect(errorKeys(jsonata({ T: task }))).toEqual([]);
    expect(errorKeys(jsonata({ T: { ...task, HeartbeatSeconds: "{% 20 %}" } }))).toEqual([]);
  });
});

describe("variables the validator tracks", () => {
  it('a JSONPath Assign key "v.$" assigns v: reading $v later is no UNASSIGNED_VARIABLE warning', () => {
    const def = machine({
      A: { Type: "Pass", Assign: { "v.$": "$.a" }, Next: "B" },
      B: { Type: "Pass", Parameters: { "x.$": "$v" }, End: true },
    });
    expect(warningKeys(def)).toEqual([]);
  });
});

describe("$states is reserved", () => {
  // workflow-variables.html, "Reserved variable : $states". An Assign of `states` was stored: every
  // JSONata expression ignored it ($states is the reserved binding there) while a JSONPath path
  // `$states` read it, one name with two values.
  it("refuses an Assign of states, in JSONata and JSONPath states and catchers", () => {
    expect(errorKeys(jsonata({ A: { Type: "Pass", Assign: { states: 1 }, End: true } }))).toEqual([
      "INVALID_VALUE /States/A/Assign/states",
    ]);
    expect(errorKeys(machine({ A: { Type: "Pass", Assign: { "states.$": "$.a" }, End: true } }))).toEqual([
      "INVALID_VALUE /States/A/Assign/states.$",
    ]);
    const task = {
      Type: "Task",
      Resource: HTTP,
      Catch: [{ ErrorEquals: ["States.ALL"], Assign: { states: 1 }, Next: "Done" }],
      End: true,
    };
    expect(errorKeys(machine({ T: task, Done: { Type: "Succeed" } }))).toEqual([
      "INVALID_VALUE /States/T/Catch/0/Assign/states",
    ]);
  });

  it("other names are fine, stateful ones too", () => {
    expect(errorKeys(jsonata({ A: { Type: "Pass", Assign: { statesX: 1, state: 2 }, End: true } }))).toEqual(
      [],
    );
  });
});

describe("a JSONata distributed Map's ItemReader, ItemBatcher and ResultWriter", () => {
  // ItemReader, ItemBatcher, ResultWriter (Step Functions guide, state-map-distributed pages):
  // in JSONata they take Arguments, not Parameters, and the …Path fields are "JSONPath only".
  // The JSONata Map never checked these sections' fields, so JSONPath ones were stored.
  const distributed = (sections: Record<string, unknown>) =>
    jsonata({
      M: {
        Type: "Map",
        ...sections,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "X",
          States: { X: { Type: "Pass", End: true } },
        },
        End: true,
      },
    });

  it("refuses Parameters and …Path fields", () => {
    const def = distributed({
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        Parameters: { Bucket: "b", Key: "k" },
        ReaderConfig: { InputType: "JSON", MaxItemsPath: "$.max" },
      },
      ItemBatcher: { MaxItemsPerBatchPath: "$.n" },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b", Prefix: "p" } },
    });
    expect(errorKeys(def)).toEqual([
      "UNKNOWN_FIELD /States/M/ItemReader/Parameters",
      "UNKNOWN_FIELD /States/M/ItemReader/ReaderConfig/MaxItemsPath",
      "UNKNOWN_FIELD /States/M/ItemBatcher/MaxItemsPerBatchPath",
      "UNKNOWN_FIELD /States/M/ResultWriter/Parameters",
    ]);
  });

  it("accepts their JSONata forms", () => {
    const def = distributed({
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        Arguments: { Bucket: "{% $states.input.bucket %}", Key: "k" },
        ReaderConfig: { InputType: "JSON", MaxItems: "{% 10 %}" },
      },
      ItemBatcher: { MaxItemsPerBatch: "{% 2 %}", BatchInput: { a: 1 } },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Arguments: { Bucket: "b", Prefix: "p" } },
    });
    expect(errorKeys(def)).toEqual([]);
  });
});

describe("an expression has no input document", () => {
  // Transforming data with JSONata: `$` and `$$` cannot be used at the top level of an expression,
  // nor unqualified field names (the state input is $states.input). They were accepted, and read
  // nothing at run time: `{% $exists(name) %}` was a silent false.
  const output = (expression: string) =>
    jsonata({ A: { Type: "Pass", Output: { v: `{% ${expression} %}` }, End: true } });

  for (const expression of [
    "$",
    "$$",
    "$.a",
    "name",
    "$exists(name)",
    "$count($.items) + 1",
    "{ 'k': total }",
    "x ? 1 : 2",
  ]) {
    it(`refuses {% ${expression} %}`, () => {
      expect(errorKeys(output(expression))).toEqual(["INVALID_JSONATA /States/A/Output/v"]);
    });
  }

  for (const expression of [
    "$states.input.items[$.price > 1].price",
    "$states.input.items.(name)",
    "$states.input.items^(price).sku",
    "$map($states.input.items, function($v) { $.price })",
    "($n := $states.input.n; $n * 2)",
    "$states.input ~> $keys()",
    "{ 'k': $states.input.total }",
  ]) {
    it(`accepts {% ${expression} %}`, () => {
      expect(errorKeys(output(expression))).toEqual([]);
    });
  }
});
