import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { verifyTaskToken } from "../../../executions/task-token";
import type { CallbackRequest } from "../../../executions/types";
import type { JsonValue } from "../../../machine/types.ts";
import { executionStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, fromFailure, problem } from "../../problem";
import { callbackFailure, callbackHeartbeat, callbackSuccess } from "./execution-routes";

const gone = () => problem(404, "Not Found", "no task is waiting for this token");

/**
 * A token is checked before anything is looked up: a forged or altered one is a 400. A genuine
 * token of another tenant is a 404, exactly as if the task did not exist, so a caller learns
 * nothing about other tenants.
 */
async function deliver(c: Context<AppEnv>, taskToken: string, request: CallbackRequest) {
  const claims = await verifyTaskToken(c.env, taskToken);
  if (!claims) {
    throw badRequest("the task token is malformed or was not issued by this service", [
      { pointer: "/taskToken", message: "not a valid task token" },
    ]);
  }
  if (claims.tenant !== c.get("tenant")) throw gone();
  const stub = executionStub(c.env, claims.tenant, claims.machine, claims.execution);
  const delivered = await stub.callback(claims.taskId, taskToken, request);
  if (!delivered.ok) throw delivered.code === "not_found" ? gone() : fromFailure(delivered);
  return c.json({}, 200);
}

export function callbackRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(callbackSuccess, async (c) => {
    const body = c.req.valid("json") as { taskToken: string; output: JsonValue };
    return deliver(c, body.taskToken, {
      kind: "success",
      output: body.output === undefined ? null : body.output,
    });
  });

  app.openapi(callbackFailure, async (c) => {
    const { taskToken, error, cause } = c.req.valid("json") as {
      taskToken: string;
      error?: string;
      cause?: string;
    };
    return deliver(c, taskToken, {
      kind: "failure",
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
  });

  app.openapi(callbackHeartbeat, async (c) => {
    const { taskToken } = c.req.valid("json") as { taskToken: string };
    return deliver(c, taskToken, { kind: "heartbeat" });
  });
}
