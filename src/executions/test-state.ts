// TestState's shell, shared by POST /v1/states/test and the AWS action: the pure run
// (machine/test-state) with each Task call made for real, as in an execution (runTask: the
// outbound policy, the caller's tenant for entity tasks), unless a mock stands in for it. A call
// may take at most five minutes, as on AWS; at TRACE the HTTP exchange is kept for the reply.
import type { JsonValue } from "../core/json/json-value";
import type { TestStateRequest, TestStateResult } from "../machine/test-state/request";
import { refusalOf, runTestState, type TaskAnswer } from "../machine/test-state/run";
import { testTarget } from "../machine/test-state/target";
import type { HttpExchange } from "./http-task";
import { supportedResource } from "./resources";
import { runTask, type TaskContext } from "./run-task";

export const MAX_TEST_MS = 5 * 60_000;

/** A test as the REST route and the AWS action ask for it: the engine's request, and where it runs. */
export interface TestStateCall extends Omit<TestStateRequest, "random"> {
  env: Env;
  tenant: string;
  /** The tenant's entity objects, for entity tasks (the caller names them; this layer does not). */
  entity: TaskContext["entity"];
  /** The definition's JSON text: one state, or a whole machine with `stateName`. */
  definition: string;
  stateName?: string;
  /** Keep the HTTP exchange (TRACE). */
  trace: boolean;
}

export type TestStateOutcome =
  | { ok: true; value: TestStateResult & { http?: HttpExchange } }
  | {
      ok: false;
      refused: "definition" | "request";
      message: string;
      errors?: { pointer: string; message: string }[];
    };

/** Whether the run would make a real call (so the caller needs the write scope). */
export const callsOut = (definitionText: string, stateName: string | undefined, mocked: boolean): boolean => {
  if (mocked) return false;
  const target = testTarget(definitionText, stateName, {});
  return target.ok && target.value.state.Type === "Task";
};

export async function testState(call: TestStateCall): Promise<TestStateOutcome> {
  const target = testTarget(call.definition, call.stateName, { supportedResources: supportedResource });
  if (!target.ok) {
    const errors = target.diagnostics?.map((d) => ({
      pointer: d.pointer,
      message: `${d.code}: ${d.message}`,
    }));
    return { ok: false, refused: target.invalid, message: target.message, ...(errors ? { errors } : {}) };
  }
  const { env, tenant, entity, definition: _, stateName: __, trace, ...asked } = call;
  const request: TestStateRequest = { ...asked, random: Math.random };
  const refusal = refusalOf(target.value, request);
  if (refusal) return { ok: false, refused: refusal.refused, message: refusal.message };
  let http: HttpExchange | undefined;
  const testId = crypto.randomUUID();
  const perform = async (effect: Parameters<typeof runTask>[0]): Promise<TaskAnswer> => {
    const outcome = await runTask(
      { ...effect, timeoutAt: Math.min(effect.timeoutAt, call.now + MAX_TEST_MS) },
      {
        env,
        tenant,
        // Its own call slots and idempotency scope: a test never queues behind an execution's
        // calls, nor replays another test's entity write.
        execution: `${call.tenant}/test-state/${testId}`,
        executionUid: `test-state-${testId}`,
        entity,
        now: call.now,
        ...(trace ? { observe: (exchange: HttpExchange) => (http = exchange) } : {}),
      },
    );
    if (outcome.type === "succeeded") return { ok: true, output: outcome.output };
    if (outcome.type === "failed") return { ok: false, error: outcome.error, cause: outcome.cause };
    // Unreachable: a callback task is refused without a mock (refusalOf).
    return { ok: false, error: "States.Runtime", cause: "A callback task cannot be tested without a mock." };
  };
  const result = await runTestState(target.value, request, perform);
  return { ok: true, value: { ...result, ...(http ? { http } : {}) } };
}

export type InspectionLevel = "INFO" | "DEBUG" | "TRACE";

/** The inspection data a level shows, as JSON values (the AWS action writes each as JSON text). */
export interface InspectionData {
  [stage: string]: JsonValue | undefined;
  request?: { protocol: string; method: string; url: string; headers: Record<string, string>; body: string };
  response?: {
    protocol: string;
    statusCode: string;
    statusMessage: string;
    headers: Record<string, string>;
    body: string;
  };
}

/** INFO shows none; DEBUG every data-flow stage; TRACE the HTTP request and response too. */
export function inspectionData(
  result: TestStateResult & { http?: HttpExchange },
  level: InspectionLevel,
): InspectionData | undefined {
  if (level === "INFO") return undefined;
  const { inspection } = result;
  const data: InspectionData = {};
  for (const [key, value] of Object.entries(inspection))
    if (value !== undefined) data[key] = value as JsonValue;
  if (level === "TRACE" && result.http) {
    const { request, response } = result.http;
    const protocol = new URL(request.url).protocol.replace(":", "");
    data.request = { protocol, ...request };
    data.response = {
      protocol,
      statusCode: String(response.status),
      statusMessage: response.statusText,
      headers: response.headers,
      body: response.body,
    };
  }
  return data;
}
