// The execution and callback API's contract.
import { createRoute, z } from "@hono/zod-openapi";
import { replyHeaders } from "../../contract/headers";
import { access, intQuery, JsonDocument, keyedHeaders, problemContent } from "../../schemas/common";
import { watchRoute } from "../../watch/watch-route";
import { ListedExecution, listingQuery } from "./listing";
import { ExecutionDescription, ExecutionStatus, executionName, machineName } from "./schemas";

export const MAX_WAIT_SECONDS = 60;
const machineParams = z.object({ name: machineName });
const params = z.object({ name: machineName, execution: executionName });
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
/** A start's reply names the execution it started (or found). */
const located = <T extends z.ZodType>(schema: T, description: string) => ({
  ...json(schema, description),
  headers: replyHeaders("Location"),
});

const Started = z
  .object({
    name: z.string(),
    machine: z.string(),
    machineVersion: z.number().int(),
    status: ExecutionStatus,
    startedAt: z.string().openapi({ format: "date-time" }),
  })
  .strict()
  .openapi("ExecutionStarted");

export const startExecution = createRoute({
  method: "post",
  path: "/v1/machines/{name}/executions",
  operationId: "startExecution",
  tags: ["executions"],
  summary: "Start an execution of the machine's latest version",
  ...access("write"),
  request: {
    params: machineParams,
    headers: keyedHeaders,
    query: z.object({
      wait: intQuery(0, MAX_WAIT_SECONDS, "Hold the reply until the execution ends, up to this many seconds"),
    }),
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({
              input: JsonDocument.optional(),
              name: z
                .string()
                .regex(/^[A-Za-z0-9_-]{1,80}$/, "must match ^[A-Za-z0-9_-]{1,80}$")
                .optional(),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: located(
      z.union([ExecutionDescription, Started]),
      "Ended within ?wait (full description), or an existing execution with the same name and input",
    ),
    201: located(Started, "Started"),
    202: located(Started, "Still running when ?wait ran out"),
    404: problemContent("No such machine"),
    409: problemContent("An execution with this name exists with a different input"),
  },
});

export const listExecutions = createRoute({
  method: "get",
  path: "/v1/machines/{name}/executions",
  operationId: "listExecutions",
  tags: ["executions"],
  summary: "List executions, newest first (KV index, eventually consistent)",
  ...access("read"),
  request: {
    params: machineParams,
    query: listingQuery,
  },
  responses: {
    200: json(
      z.object({ items: z.array(ListedExecution), cursor: z.string().nullable() }).strict(),
      "A page of executions",
    ),
    404: problemContent("No such machine"),
  },
});

export const describeExecution = createRoute({
  method: "get",
  path: "/v1/machines/{name}/executions/{execution}",
  operationId: "describeExecution",
  tags: ["executions"],
  summary: "Describe an execution",
  ...access("read"),
  request: { params },
  responses: {
    200: json(ExecutionDescription, "The execution"),
    404: problemContent("No such execution"),
  },
});

export const executionHistory = createRoute({
  method: "get",
  path: "/v1/machines/{name}/executions/{execution}/history",
  operationId: "getExecutionHistory",
  tags: ["executions"],
  summary: "History events, oldest first, with Step Functions' event names",
  ...access("read"),
  request: {
    params,
    query: z.object({
      limit: intQuery(1, 1000, "Page size (default 100)"),
      cursor: intQuery(0, Number.MAX_SAFE_INTEGER, "From a previous page"),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          events: z.array(
            z
              .object({
                id: z.number().int(),
                previousEventId: z.number().int(),
                timestamp: z.string().openapi({ format: "date-time" }),
                type: z.string().openapi({ example: "ExecutionStarted" }),
                details: z.record(z.string(), JsonDocument),
              })
              .strict(),
          ),
          cursor: z.string().nullable(),
        })
        .strict(),
      "A page of events",
    ),
    404: problemContent("No such execution"),
  },
});

export const stopExecution = createRoute({
  method: "post",
  path: "/v1/machines/{name}/executions/{execution}/stop",
  operationId: "stopExecution",
  tags: ["executions"],
  summary: "Stop a running execution (ABORTED)",
  ...access("write"),
  request: {
    params,
    headers: keyedHeaders,
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z
            .object({ error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: json(ExecutionDescription, "The execution after the stop"),
    404: problemContent("No such execution"),
  },
});

export const redriveExecution = createRoute({
  method: "post",
  path: "/v1/machines/{name}/executions/{execution}/redrive",
  operationId: "redriveExecution",
  tags: ["executions"],
  summary:
    "Go on with a FAILED, TIMED_OUT or ABORTED execution from where it stopped (Step Functions' RedriveExecution)",
  description:
    "Runs again only what did not succeed: the state that failed or was cut short, a Parallel's failed and aborted branches, a Map's failed, aborted and unstarted iterations; retries and the execution timeout start over. Adds ExecutionRedriven to the history. Refused (409) for a RUNNING or SUCCEEDED execution, 14 days after it stopped, or near the history limit.",
  ...access("write"),
  request: { params, headers: keyedHeaders },
  responses: {
    200: json(
      ExecutionDescription,
      "The execution, RUNNING again (or already ended, if what ran again ended at once)",
    ),
    404: problemContent("No such execution"),
    409: problemContent("The execution cannot be redriven; `detail` says why, as AWS's redriveStatusReason"),
  },
});

const TaskToken = z.string().min(1).max(2048);

const callback = (kind: "success" | "failure" | "heartbeat", body: z.ZodType, summary: string) =>
  createRoute({
    method: "post",
    path: `/v1/callbacks/${kind}`,
    operationId: `sendTask${kind[0]!.toUpperCase()}${kind.slice(1)}`,
    tags: ["executions"],
    summary,
    ...access("write"),
    request: {
      headers: keyedHeaders,
      body: { required: true, content: { "application/json": { schema: body } } },
    },
    responses: {
      200: json(z.object({}).strict(), "Accepted"),
      404: problemContent("No task is waiting for this token"),
      400: problemContent("Invalid input, or a malformed or forged task token"),
    },
  });

export const callbackSuccess = callback(
  "success",
  z.object({ taskToken: TaskToken, output: JsonDocument }).strict(),
  "Complete a .waitForTaskToken task with its output",
);
export const callbackFailure = callback(
  "failure",
  z
    .object({
      taskToken: TaskToken,
      error: z.string().max(256).optional(),
      cause: z.string().max(32_768).optional(),
    })
    .strict(),
  "Fail a .waitForTaskToken task",
);
export const callbackHeartbeat = callback(
  "heartbeat",
  z.object({ taskToken: TaskToken }).strict(),
  "Report that a .waitForTaskToken task is still alive (resets HeartbeatSeconds)",
);

export const watchExecution = watchRoute({
  operationId: "watchExecution",
  path: "/v1/machines/{name}/executions/{execution}/watch",
  tags: ["executions"],
  summary: "Watch an execution: every history event as it commits, then its end",
  description:
    'First `{"type":"status","execution":{…}}` (as GET …/{execution} describes it), then ' +
    '`{"type":"event","event":{…}}` for every event after `since` (all of them by default) and every ' +
    "event as it commits, in the shape GET …/history lists them; when the execution ends, its final " +
    "status, and the watch closes (code 1000). The watch of an execution that has already ended closes " +
    "after its events.",
  params,
  seq: "event id",
});
