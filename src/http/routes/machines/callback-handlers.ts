import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { JsonValue } from "../../../core/json/json-value";
import { type Callback, NO_WAITING_TASK } from "../../../executions/contract";
import { verifyTaskToken } from "../../../executions/task-token";
import { executionStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, problem } from "../../problem";
import { storedReplyResponse } from "../../stored-reply";
import { keyed } from "../entities/write-request";
import { callbackFailure, callbackHeartbeat, callbackSuccess } from "./execution-routes";

const gone = () => problem("not_found", NO_WAITING_TASK);

/**
 * A token is checked before anything is looked up: a forged or altered one is a 400. A genuine
 * token of another tenant is a 404, exactly as if the task did not exist, so a caller learns
 * nothing about other tenants.
 */
async function deliver(c: Context<AppEnv>, taskToken: string, callback: Callback) {
  const claims = await verifyTaskToken(c.env, taskToken);
  if (!claims) {
    throw badRequest("the task token is malformed or was not issued by this service", [
      { pointer: "/taskToken", message: "not a valid task token" },
    ]);
  }
  if (claims.tenant !== c.get("tenant")) throw gone();
  const { tenant, machine, execution, taskId } = claims;
  const reply = await executionStub(c.env, tenant, machine, execution).callback(
    { tenant, machine, execution },
    taskId,
    taskToken,
    { ...(await keyed(c)), callback },
  );
  return storedReplyResponse(c, reply, (_, replay) => c.json({}, 200, replay));
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
