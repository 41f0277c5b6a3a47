// Starting points for the definition editor: small, valid definitions that each show one thing the
// engine does, and run as they are (JSONPath, and JSONata with variables as the Step Functions
// console writes new machines).
export interface Sample {
  id: string;
  title: string;
  description: string;
  definition: unknown;
  input: unknown;
}

export const SAMPLES: Sample[] = [
  {
    id: "hello-world",
    title: "Hello world",
    description: "Pass, a two-second Wait and a Choice.",
    input: { name: "Ada" },
    definition: {
      Comment: "Greets, waits two seconds, then looks at who it greeted.",
      StartAt: "Greet",
      States: {
        Greet: {
          Type: "Pass",
          Parameters: { "greeting.$": "States.Format('Hello, {}!', $.name)", "name.$": "$.name" },
          Next: "Pause",
        },
        Pause: { Type: "Wait", Seconds: 2, Next: "Known user?" },
        "Known user?": {
          Type: "Choice",
          Choices: [{ Variable: "$.name", StringEquals: "Ada", Next: "Welcome back" }],
          Default: "Done",
        },
        "Welcome back": { Type: "Pass", Result: "a returning user", ResultPath: "$.note", Next: "Done" },
        Done: { Type: "Succeed" },
      },
    },
  },
  {
    id: "entity-order",
    title: "Store an order",
    description: "Entity tasks with Retry, and a Catch that records a failure.",
    input: { orderId: "o-1001", items: ["book", "lamp"], total: 42 },
    definition: {
      Comment: "Writes an order entity, reads it back, and records a failure if either step fails.",
      StartAt: "Save order",
      States: {
        "Save order": {
          Type: "Task",
          Resource: "edgestate:entity:put",
          Parameters: { Type: "order", "Id.$": "$.orderId", "Body.$": "$" },
          ResultPath: "$.saved",
          Retry: [
            { ErrorEquals: ["Edgestate.Unavailable"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Record failure" }],
          Next: "Read it back",
        },
        "Read it back": {
          Type: "Task",
          Resource: "edgestate:entity:get",
          Parameters: { Type: "order", "Id.$": "$.orderId" },
          ResultSelector: { "version.$": "$.Version", "body.$": "$.Body" },
          ResultPath: "$.stored",
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Record failure" }],
          Next: "Stored",
        },
        "Record failure": {
          Type: "Fail",
          Error: "OrderNotStored",
          Cause: "The order could not be written or read back.",
        },
        Stored: { Type: "Succeed" },
      },
    },
  },
  {
    id: "parallel-map",
    title: "Parallel and Map",
    description: "Two branches at once, one of which maps over a list.",
    input: { items: [1, 2, 3], customer: "Grace" },
    definition: {
      Comment: "Greets the customer while pricing every item, then merges the results.",
      StartAt: "Fan out",
      States: {
        "Fan out": {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Greet customer",
              States: {
                "Greet customer": {
                  Type: "Pass",
                  Parameters: { "message.$": "States.Format('Welcome, {}', $.customer)" },
                  End: true,
                },
              },
            },
            {
              StartAt: "Price items",
              States: {
                "Price items": {
                  Type: "Map",
                  ItemsPath: "$.items",
                  MaxConcurrency: 2,
                  ItemProcessor: {
                    ProcessorConfig: { Mode: "INLINE" },
                    StartAt: "Price one",
                    States: {
                      "Price one": {
                        Type: "Pass",
                        Parameters: { "item.$": "$", "price.$": "States.MathAdd($, 10)" },
                        End: true,
                      },
                    },
                  },
                  End: true,
                },
              },
            },
          ],
          ResultSelector: { "greeting.$": "$[0].message", "prices.$": "$[1]" },
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    },
  },
  {
    id: "jsonata-variables",
    title: "JSONata and variables",
    description: "JSONata expressions, Assign, a Choice Condition and a Map over Items.",
    input: {
      customer: "Ada",
      items: [
        { sku: "book", price: 12 },
        { sku: "lamp", price: 30 },
      ],
    },
    definition: {
      Comment: "Totals an order with JSONata, keeps values in variables, and labels each item.",
      QueryLanguage: "JSONata",
      StartAt: "Total",
      States: {
        Total: {
          Type: "Pass",
          Assign: {
            customer: "{% $states.input.customer %}",
            total: "{% $sum($states.input.items.price) %}",
          },
          Output: "{% $states.input.items %}",
          Next: "Discount?",
        },
        "Discount?": {
          Type: "Choice",
          Choices: [{ Condition: "{% $total >= 40 %}", Assign: { discount: 0.1 }, Next: "Label items" }],
          Default: "Label items",
          Assign: { discount: 0 },
        },
        "Label items": {
          Type: "Map",
          Items: "{% $states.input %}",
          ItemProcessor: {
            StartAt: "Label",
            States: {
              Label: {
                Type: "Pass",
                Output:
                  "{% $customer & ': ' & $states.input.sku & ' at ' & $string($states.input.price * (1 - $discount)) %}",
                End: true,
              },
            },
          },
          Output: { labels: "{% $states.result %}", total: "{% $total * (1 - $discount) %}" },
          End: true,
        },
      },
    },
  },
  {
    id: "caught-error",
    title: "Caught error",
    description: "A Task that fails, is retried, and is caught.",
    input: { id: "does-not-exist" },
    definition: {
      Comment: "Reads an entity that is not there; the failure is caught and handled.",
      StartAt: "Read profile",
      States: {
        "Read profile": {
          Type: "Task",
          Resource: "edgestate:entity:get",
          Parameters: { Type: "profile", "Id.$": "$.id" },
          Retry: [{ ErrorEquals: ["Edgestate.Unavailable"], MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ["Edgestate.NotFound"], ResultPath: "$.error", Next: "Use defaults" }],
          Next: "Done",
        },
        "Use defaults": { Type: "Pass", Result: { theme: "light" }, ResultPath: "$.profile", Next: "Done" },
        Done: { Type: "Succeed" },
      },
    },
  },
];

export const sampleById = (id: string | undefined) => SAMPLES.find((s) => s.id === id);
