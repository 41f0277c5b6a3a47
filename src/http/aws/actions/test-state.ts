// TestState on the wire: the same shell as POST /v1/states/test (executions/test-state.ts); here
// every payload is JSON text, as in Step Functions' API, and so is each inspection stage.
import { z } from "@hono/zod-openapi";
import { hasScope } from "../../../auth/principal";
import { executionArn, stateMachineArn } from "../../../aws/arn";
import { type AwsResult, awsFail, awsOk } from "../../../aws/errors";
import { isJsonObject, type JsonObject, type JsonValue } from "../../../core/json/json-value";
import { parseJson } from "../../../core/json/parse-json";
import { callsOut, inspectionData, testState } from "../../../executions/test-state";
import type { TestMock } from "../../../machine/test-state/request";
import { entityStub } from "../../../objects/names";
import type { Action } from "../action";
import { scopeOf } from "../call";
import { decode, jsonString } from "../members";

const MAX_DEFINITION = 1_048_576;
const MAX_PAYLOAD = 262_144;

const Input = z
  .object({
    definition: jsonString(MAX_DEFINITION),
    roleArn: z.string().min(1).max(256).optional(),
    input: jsonString(MAX_PAYLOAD).optional(),
    inspectionLevel: z.enum(["INFO", "DEBUG", "TRACE"]).optional(),
    revealSecrets: z.boolean().optional(),
    variables: jsonString(MAX_PAYLOAD).optional(),
    stateName: z.string().min(1).max(80).optional(),
    mock: z
      .object({
        result: jsonString(MAX_PAYLOAD).optional(),
        errorOutput: z
          .object({ error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() })
          .strict()
          .optional(),
        fieldValidationMode: z.enum(["STRICT", "PRESENT", "NONE"]).optional(),
      })
      .strict()
      .optional(),
    context: jsonString(MAX_PAYLOAD).optional(),
    stateConfiguration: z
      .object({
        retrierRetryCount: z.number().int().min(0).optional(),
        errorCausedByState: z.string().min(1).max(80).optional(),
        mapIterationFailureCount: z.number().int().min(0).optional(),
        mapItemReaderData: z.string().max(MAX_PAYLOAD).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

type Members = z.infer<typeof Input>;

/** JSON carried in a string member, parsed by core/json. */
function jsonMember(
  text: string | undefined,
  onBad: (message: string) => AwsResult<never>,
): AwsResult<JsonValue | undefined> {
  if (text === undefined) return awsOk(undefined);
  const parsed = parseJson(text);
  return parsed.ok ? awsOk(parsed.value) : onBad(parsed.message);
}

function mockOf(mock: Members["mock"]): AwsResult<TestMock | undefined> {
  if (!mock) return awsOk(undefined);
  if ((mock.result === undefined) === (mock.errorOutput === undefined)) {
    return awsFail(
      "ValidationException",
      "A test mock should have only one of the following fields: [result, errorOutput].",
    );
  }
  if (mock.errorOutput) {
    if (mock.errorOutput.error === undefined) {
      return awsFail(
        "ValidationException",
        "mock.errorOutput.error is required when mock.errorOutput is specified.",
      );
    }
    return awsOk({ error: mock.errorOutput.error, cause: mock.errorOutput.cause ?? "" });
  }
  const result = parseJson(mock.result!);
  if (!result.ok)
    return awsFail("ValidationException", `mock.result must be a JSON string: ${result.message}`);
  return awsOk({ result: result.value });
}

const asObject = (what: string, value: JsonValue | undefined): AwsResult<JsonObject | undefined> =>
  value === undefined || isJsonObject(value)
    ? awsOk(value)
    : awsFail("ValidationException", `${what} must be a JSON object.`);

export const testStateAction: Action = {
  // Stores nothing; a Task's real call needs write, checked below.
  scope: "read",
  async run(call, raw) {
    const decoded = decode(Input, raw);
    if (!decoded.ok) return decoded;
    const m = decoded.value;
    const input = jsonMember(m.input, (msg) =>
      awsFail("InvalidExecutionInput", `Invalid State Machine Execution Input: '${msg}'`),
    );
    if (!input.ok) return input;
    const variables = jsonMember(m.variables, (msg) =>
      awsFail("ValidationException", `variables must be JSON: ${msg}`),
    );
    if (!variables.ok) return variables;
    const varsObject = asObject("variables", variables.value);
    if (!varsObject.ok) return varsObject;
    const context = jsonMember(m.context, (msg) =>
      awsFail("ValidationException", `context must be JSON: ${msg}`),
    );
    if (!context.ok) return context;
    const contextObject = asObject("context", context.value);
    if (!contextObject.ok) return contextObject;
    const mock = mockOf(m.mock);
    if (!mock.ok) return mock;
    if (mock.value && m.revealSecrets) {
      return awsFail(
        "ValidationException",
        "TestState does not support RevealSecrets when a mock is specified.",
      );
    }
    if (callsOut(m.definition, m.stateName, mock.value !== undefined) && !hasScope(call.principal, "write")) {
      return awsFail(
        "AccessDeniedException",
        "This key lacks the 'write' scope a Task's real call needs; mock the Task or use a write key.",
      );
    }
    const level = m.inspectionLevel ?? "INFO";
    const name = crypto.randomUUID();
    const scope = scopeOf(call);
    const { mapItemReaderData, ...config } = m.stateConfiguration ?? {};
    if (mapItemReaderData !== undefined) {
      return awsFail(
        "ValidationException",
        "edgestate runs no Distributed Map ItemReader: mapItemReaderData is not supported.",
      );
    }
    const outcome = await testState({
      env: call.env,
      tenant: call.tenant,
      entity: (address) => entityStub(call.env, address),
      now: call.now,
      definition: m.definition,
      ...(m.stateName === undefined ? {} : { stateName: m.stateName }),
      input: input.value ?? {},
      ...(varsObject.value ? { variables: varsObject.value } : {}),
      ...(mock.value ? { mock: mock.value } : {}),
      ...(contextObject.value ? { context: contextObject.value } : {}),
      ...config,
      execution: {
        id: executionArn(scope, "TestState", name),
        name,
        machineId: stateMachineArn(scope, "TestState"),
        machineName: "TestState",
        ...(m.roleArn ? { roleArn: m.roleArn } : {}),
      },
      trace: level === "TRACE",
    });
    if (!outcome.ok) {
      const name = outcome.refused === "definition" ? "InvalidDefinition" : "ValidationException";
      const prefix = outcome.refused === "definition" ? "Invalid State Machine Definition: " : "";
      return awsFail(name, `${prefix}${outcome.message}`);
    }
    const { status, output, error, cause, nextState } = outcome.value;
    const data = inspectionData(outcome.value, level);
    return awsOk({
      status,
      ...(output === undefined ? {} : { output: JSON.stringify(output) }),
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
      ...(nextState === undefined ? {} : { nextState }),
      ...(data ? { inspectionData: onTheWire(data) } : {}),
    });
  },
};

/** Stages are JSON text on the wire; the counts stay numbers, errorDetails an object, headers text. */
function onTheWire(data: NonNullable<ReturnType<typeof inspectionData>>): object {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (
      key === "maxConcurrency" ||
      key === "toleratedFailureCount" ||
      key === "toleratedFailurePercentage" ||
      key === "errorDetails"
    ) {
      out[key] = value;
    } else if (key === "request" || key === "response") {
      const exchange = value as { headers: Record<string, string> } & Record<string, unknown>;
      out[key] = { ...exchange, headers: headerText(exchange.headers) };
    } else out[key] = JSON.stringify(value);
  }
  return out;
}

const headerText = (headers: Record<string, string>) =>
  `[${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")}]`;
