import type { OpenAPIHono } from "@hono/zod-openapi";
import { hasScope } from "../../../auth/principal";
import type { JsonObject, JsonValue } from "../../../core/json/json-value";
import { callsOut, inspectionData, testState } from "../../../executions/test-state";
import { executionId, stateMachineId } from "../../../machine/engine";
import { entityStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, problem } from "../../problem";
import { testStateRoute } from "./test-state-routes";

/** The machine name `$$.StateMachine.Name` shows in a test. */
export const TEST_MACHINE_NAME = "TestState";

export function testStateRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(testStateRoute, async (c) => {
    const body = c.req.valid("json");
    const definition = JSON.stringify(body.definition);
    // A mocked test stores and calls nothing (read); one that makes a Task's real call may write.
    if (
      callsOut(definition, body.stateName, body.mock !== undefined) &&
      !hasScope(c.get("principal")!, "write")
    ) {
      throw problem(
        "forbidden",
        'this key lacks the "write" scope a Task\'s real call needs (mock it, or use a write key)',
      );
    }
    const name = crypto.randomUUID();
    const level = body.inspectionLevel ?? "INFO";
    const config = body.stateConfiguration ?? {};
    const { mock } = body;
    const outcome = await testState({
      env: c.env,
      tenant: c.get("tenant")!,
      entity: (address) => entityStub(c.env, address),
      now: Date.now(),
      definition,
      ...(body.stateName === undefined ? {} : { stateName: body.stateName }),
      input: (body.input ?? {}) as JsonValue,
      ...(body.variables ? { variables: body.variables as JsonObject } : {}),
      ...(mock
        ? {
            mock: mock.errorOutput
              ? { error: mock.errorOutput.error, cause: mock.errorOutput.cause ?? "" }
              : { result: mock.result as JsonValue },
          }
        : {}),
      ...(body.context ? { context: body.context as JsonObject } : {}),
      ...config,
      execution: {
        id: executionId(TEST_MACHINE_NAME, name),
        name,
        machineId: stateMachineId(TEST_MACHINE_NAME, 1),
        machineName: TEST_MACHINE_NAME,
      },
      trace: level === "TRACE",
    });
    if (!outcome.ok) throw badRequest(outcome.message, outcome.errors);
    const { status, output, error, cause, nextState } = outcome.value;
    const data = inspectionData(outcome.value, level);
    return c.json(
      {
        status,
        ...(output === undefined ? {} : { output: output as unknown }),
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
        ...(nextState === undefined ? {} : { nextState }),
        ...(data ? { inspectionData: data as Record<string, unknown> } : {}),
      },
      200,
    );
  });
}
