// GET …/executions/{execution}/tasks: what a running execution waits on, with the token of each
// `.waitForTaskToken` task, so a person (the console) or a tool can finish it with a callback.
// Reading needs only `read`: a token is useless without a `write` key of the same tenant, and such
// a key could read it here anyway.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { executionStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { fromFailure } from "../../problem";
import { access, problemContent } from "../../schemas/common";
import { executionName, machineName } from "./schemas";

const WaitingTask = z
  .object({
    taskId: z.string(),
    state: z.string().openapi({ description: "The Task state's name" }),
    resource: z.string(),
    taskToken: z
      .string()
      .nullable()
      .openapi({ description: "For `.waitForTaskToken` tasks: what POST /v1/callbacks/* must carry" }),
    timeoutAt: z
      .string()
      .openapi({ description: "When the task times out (States.Timeout)", format: "date-time" }),
    heartbeatAt: z
      .string()
      .nullable()
      .openapi({ description: "When a heartbeat is due (HeartbeatSeconds), or null", format: "date-time" }),
  })
  .strict()
  .openapi("WaitingTask");

const waitingTasks = createRoute({
  method: "get",
  path: "/v1/machines/{name}/executions/{execution}/tasks",
  operationId: "listWaitingTasks",
  tags: ["executions"],
  summary: "The tasks an execution is waiting on, with their callback tokens",
  ...access("read"),
  request: { params: z.object({ name: machineName, execution: executionName }) },
  responses: {
    200: {
      description: "Waiting tasks (none once the execution has ended)",
      content: { "application/json": { schema: z.object({ items: z.array(WaitingTask) }).strict() } },
    },
    404: problemContent("No such execution"),
  },
});

export function waitingTaskRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(waitingTasks, async (c) => {
    const { name, execution } = c.req.valid("param");
    const read = await executionStub(c.env, c.get("tenant")!, name, execution).waitingTasks();
    if (!read.ok) throw fromFailure(read);
    return c.json({ items: read.value }, 200);
  });
}
