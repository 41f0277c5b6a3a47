import { expect, describe as group, it } from "vitest";
import { api, json, unique } from "../support/api";
import { history, putMachine, start, types } from "./support";

// What today's Step Functions console writes for a new machine: JSONata with variables.
const ORDER_FLOW = {
  Comment: "JSONata and variables, as the Step Functions console writes them",
  QueryLanguage: "JSONata",
  StartAt: "Prepare",
  States: {
    Prepare: {
      Type: "Pass",
      Assign: {
        orderId: "{% $states.input.order.id %}",
        total: "{% $sum($states.input.order.items.price) %}",
      },
      Output: { items: "{% $states.input.order.items %}" },
      Next: "Big order?",
    },
    "Big order?": {
      Type: "Choice",
      Choices: [{ Condition: "{% $total > 100 %}", Next: "Each item", Assign: { tier: "gold" } }],
      Default: "Each item",
      Assign: { tier: "standard" },
    },
    "Each item": {
      Type: "Map",
      Items: "{% $states.input.items %}",
      ItemSelector: { sku: "{% $states.context.Map.Item.Value.sku %}", order: "{% $orderId %}" },
      ItemProcessor: {
        StartAt: "Label",
        States: {
          Label: { Type: "Pass", Output: "{% $states.input.order & '/' & $states.input.sku %}", End: true },
        },
      },
      Output: { labels: "{% $states.result %}", tier: "{% $tier %}", total: "{% $total %}" },
      End: true,
    },
  },
};

group("JSONata machines through the Worker", () => {
  it("stores a console-style JSONata machine and runs it to the expected output and history", async () => {
    const machine = unique("jsonata");
    await putMachine(machine, ORDER_FLOW);
    const input = {
      order: {
        id: "o-7",
        items: [
          { sku: "a", price: 60 },
          { sku: "b", price: 50 },
        ],
      },
    };
    const run = await start(machine, { input, name: "r1" }, "?wait=10");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      status: "SUCCEEDED",
      output: { labels: ["o-7/a", "o-7/b"], tier: "gold", total: 110 },
    });
    const events = await history(machine, "r1");
    expect(types(events)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "MapStateEntered",
      "MapStateStarted",
      "MapIterationStarted",
      "MapIterationStarted",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
      "MapStateSucceeded",
      "MapStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[2]?.details).toMatchObject({
      assignedVariables: { orderId: '"o-7"', total: "110" },
      assignedVariablesDetails: { truncated: false },
    });
    expect(events[4]?.details).toMatchObject({ assignedVariables: { tier: '"gold"' } });
  });

  it("refuses a JSONata syntax error with the pointer of the field", async () => {
    const res = await api("POST", "/v1/definitions/validate", {
      body: {
        ...ORDER_FLOW,
        States: {
          ...ORDER_FLOW.States,
          Prepare: { ...ORDER_FLOW.States.Prepare, Output: "{% $states.input. %}" },
        },
      },
    });
    const body = await json<{ valid: boolean; diagnostics: { code: string; pointer: string }[] }>(res);
    expect(body.valid).toBe(false);
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({ code: "INVALID_JSONATA", pointer: "/States/Prepare/Output" }),
    );
  });

  it("fails an execution whose expression yields nothing with States.QueryEvaluationError and EvaluationFailed", async () => {
    const machine = unique("jsonata-fail");
    await putMachine(machine, {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Output: "{% $states.input.missing %}", End: true } },
    });
    const run = await start(machine, { name: "r1" }, "?wait=10");
    expect(run.body).toMatchObject({ status: "FAILED", error: "States.QueryEvaluationError" });
    expect(types(await history(machine, "r1"))).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "EvaluationFailed",
      "ExecutionFailed",
    ]);
  });
});

group("execution input size", () => {
  it("starts an execution whose input is just under 256 KiB, as Step Functions does", async () => {
    const machine = unique("big-input");
    await putMachine(machine, { StartAt: "A", States: { A: { Type: "Pass", Result: "ok", End: true } } });
    const input = { blob: "x".repeat(262_144 - 20) };
    const run = await start(machine, { input, name: "big" }, "?wait=10");
    expect(run.status).toBe(200);
    expect(run.body.status).toBe("SUCCEEDED");
  });

  it("fails an input over 256 KiB with States.DataLimitExceeded", async () => {
    const machine = unique("too-big-input");
    await putMachine(machine, { StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    const run = await start(machine, { input: { blob: "x".repeat(262_144) }, name: "big" }, "?wait=10");
    expect(run.body).toMatchObject({ status: "FAILED", error: "States.DataLimitExceeded" });
  });
});
