import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { definitionRoutes } from "./definition-handlers";

/** Issue 5: definitions, executions, callbacks and diagrams. */
export function machineRoutes(app: OpenAPIHono<AppEnv>) {
  definitionRoutes(app);
}
