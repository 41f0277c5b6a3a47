// POST /v1/states/test: TestState on the REST API (its contract).
import { createRoute, z } from "@hono/zod-openapi";
import { access, JsonDocument, problemContent } from "../../schemas/common";

const Mock = z
  .object({
    result: JsonDocument.optional().openapi({
      description: "The Task's (Map's, Parallel's) result instead of its call",
    }),
    errorOutput: z
      .object({ error: z.string().max(256), cause: z.string().max(32_768).optional() })
      .strict()
      .optional()
      .openapi({ description: "An error instead of the call" }),
  })
  .strict()
  .refine((m) => (m.result === undefined) !== (m.errorOutput === undefined), {
    message: "A test mock should have only one of the following fields: [result, errorOutput].",
  });

export const TestStateBody = z
  .object({
    definition: JsonDocument.openapi({ description: "One state, or a whole state machine with stateName" }),
    stateName: z.string().min(1).max(80).optional(),
    input: JsonDocument.optional().openapi({ description: "The state's input (default {})" }),
    variables: z.record(z.string(), JsonDocument).optional(),
    inspectionLevel: z.enum(["INFO", "DEBUG", "TRACE"]).optional(),
    mock: Mock.optional(),
    context: z
      .record(z.string(), JsonDocument)
      .optional()
      .openapi({ description: "Members of $$ (with a mock only)" }),
    stateConfiguration: z
      .object({
        retrierRetryCount: z.number().int().min(0).optional(),
        errorCausedByState: z.string().min(1).max(80).optional(),
        mapIterationFailureCount: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("TestStateRequest");

const TestStateResult = z
  .object({
    status: z.enum(["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"]),
    output: JsonDocument.optional(),
    error: z.string().optional(),
    cause: z.string().optional(),
    nextState: z.string().optional(),
    inspectionData: z.record(z.string(), JsonDocument).optional(),
  })
  .strict()
  .openapi("TestStateResult");

export const testStateRoute = createRoute({
  method: "post",
  path: "/v1/states/test",
  operationId: "testState",
  tags: ["state machines"],
  summary:
    "Run one state of a definition on an input (a Task's call, or a mock instead), as Step Functions' TestState",
  // Stores nothing; a Task's real call needs write, which the handler checks.
  ...access("read"),
  request: { body: { required: true, content: { "application/json": { schema: TestStateBody } } } },
  responses: {
    200: { description: "How the state ran", content: { "application/json": { schema: TestStateResult } } },
    400: problemContent(
      "Invalid definition (`errors` lists each ERROR diagnostic) or a request TestState refuses",
    ),
  },
});
