import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { callbackRoutes } from "./callback-handlers";
import { definitionRoutes } from "./definition-handlers";
import { executionRoutes } from "./execution-handlers";
import { recentExecutionRoutes } from "./recent-executions";
import { testStateRoutes } from "./test-state-handlers";
import { waitingTaskRoutes } from "./waiting-tasks";

/** Issue 5: definitions, executions, callbacks and diagrams. */
export function machineRoutes(app: OpenAPIHono<AppEnv>) {
  definitionRoutes(app);
  executionRoutes(app);
  recentExecutionRoutes(app);
  waitingTaskRoutes(app);
  callbackRoutes(app);
  testStateRoutes(app);
}
