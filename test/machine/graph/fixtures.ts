// Sample machines shared by the diagram tests.

export const orderMachine = {
  StartAt: "Validate",
  States: {
    Validate: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:validate",
      Next: "Route",
      Catch: [{ ErrorEquals: ["States.Timeout", "Order.Invalid"], Next: "Notify" }],
    },
    Route: {
      Type: "Choice",
      Choices: [
        { Variable: "$.total", NumericGreaterThan: 100, Next: "Review" },
        { Variable: "$.country", StringMatches: "U*", Next: "Fulfil" },
      ],
      Default: "Hold",
    },
    Hold: { Type: "Wait", Seconds: 5, Next: "Route" },
    Review: { Type: "Pass", Next: "Fulfil" },
    Fulfil: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Ship",
          States: {
            Ship: { Type: "Task", Resource: "arn:x", Next: "Track" },
            Track: { Type: "Pass", End: true },
          },
        },
        { StartAt: "Invoice", States: { Invoice: { Type: "Task", Resource: "arn:x", End: true } } },
      ],
      Next: "Items",
    },
    Items: {
      Type: "Map",
      ItemProcessor: {
        StartAt: "Reserve",
        States: { Reserve: { Type: "Task", Resource: "arn:x", End: true } },
      },
      Next: "Done",
    },
    Done: { Type: "Succeed" },
    Notify: { Type: "Task", Resource: "arn:x", Next: "Failed" },
    Failed: { Type: "Fail", Error: "OrderFailed" },
  },
};

/** A long machine: Tasks in a chain with a Choice every fifth state that may skip one. */
export function fiftyStates(): { StartAt: string; States: Record<string, unknown> } {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    const next = `Step ${i + 1}`;
    if (i === 49) states[`Step ${i}`] = { Type: "Succeed" };
    else if (i % 5 === 4) {
      states[`Step ${i}`] = {
        Type: "Choice",
        Choices: [{ Variable: `$.n${i}`, NumericEquals: i, Next: next }],
        Default: `Step ${Math.min(49, i + 2)}`,
      };
    } else states[`Step ${i}`] = { Type: "Task", Resource: "arn:x", Next: next };
  }
  return { StartAt: "Step 0", States: states };
}
