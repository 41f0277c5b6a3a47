// TestState's contract: what a caller asks (a state, an input, maybe a mock and a context), what
// it gets back, and the requests Step Functions refuses before running anything (with AWS's own
// messages; the wire layer names them ValidationException or InvalidDefinition).

import type { JsonObject, JsonValue } from "../../core/json/json-value.ts";
import type { Inspection } from "../runtime.ts";
import { waitsForCallback } from "../states/task-resource.ts";
import type { State } from "../types.ts";
import type { TestTarget } from "./target.ts";

export type TestMock = { result: JsonValue } | { error: string; cause: string };

/** What a Task's call came to (the shell performs it; TestState never sees HTTP). */
export type TaskAnswer = { ok: true; output: JsonValue } | { ok: false; error: string; cause: string };

export interface TestStateRequest {
  input: JsonValue;
  variables?: JsonObject;
  mock?: TestMock;
  /** Members of `$$` to use instead of the computed ones (only with a mock, as AWS requires). */
  context?: JsonObject;
  /** Retries the matching retrier has already used (stateConfiguration.retrierRetryCount). */
  retrierRetryCount?: number;
  /** For a Map or Parallel whose mocked error came from a state inside it. */
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  execution: { id: string; name: string; machineId: string; machineName: string; roleArn?: string };
  now: number;
  random: () => number;
}

export type TestStatus = "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";

export interface TestStateResult {
  status: TestStatus;
  output?: JsonValue;
  error?: string;
  cause?: string;
  nextState?: string;
  inspection: TestInspection;
}

/** Everything DEBUG shows; the wire layer picks by inspection level and writes JSON text. */
export interface TestInspection extends Partial<Record<keyof Inspection["stages"], JsonValue>> {
  input: JsonValue;
  variables?: JsonObject;
  afterItemSelector?: JsonValue[];
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  errorDetails?: { retryIndex?: number; retryBackoffIntervalSeconds?: number; catchIndex?: number };
}

/** A request TestState refuses, as AWS does: ValidationException or InvalidDefinition. */
export interface TestRefusal {
  refused: "request" | "definition";
  message: string;
}

const NEEDS_MOCK =
  "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]";

/** The request's own rules, before anything runs. */
export function refusalOf(target: TestTarget, request: TestStateRequest): TestRefusal | null {
  const { state } = target;
  if (request.mock) {
    if (state.Type !== "Task" && state.Type !== "Map" && state.Type !== "Parallel") {
      return {
        refused: "request",
        message: `State type '${state.Type}' is not supported when a mock is specified`,
      };
    }
    if ("result" in request.mock && state.Type === "Map" && !Array.isArray(request.mock.result)) {
      return { refused: "request", message: "Mocked result must be an array." };
    }
    if ("result" in request.mock && state.Type === "Parallel") {
      const { result } = request.mock;
      if (!Array.isArray(result)) return { refused: "request", message: "Mocked result must be an array." };
      if (result.length !== state.Branches.length) {
        return {
          refused: "request",
          message: "Mocked result must contain the same number of items as number of Parallel branches.",
        };
      }
    }
  } else {
    if (state.Type === "Map" || state.Type === "Parallel")
      return { refused: "definition", message: NEEDS_MOCK };
    if (state.Type === "Task" && waitsForCallback(state.Resource)) {
      return { refused: "request", message: "A Task with .waitForTaskToken can be tested with a mock only." };
    }
    if (request.context)
      return { refused: "request", message: "context may be specified only together with a mock." };
  }
  if (request.errorCausedByState !== undefined) {
    if (state.Type !== "Map" && state.Type !== "Parallel") {
      return { refused: "request", message: "errorCausedByState applies to a Map or Parallel state only." };
    }
    if (!within(state, request.errorCausedByState)) {
      return {
        refused: "request",
        message: `errorCausedByState '${request.errorCausedByState}' is not a state inside '${target.name}'.`,
      };
    }
  }
  return null;
}

/** Whether `name` is a state somewhere inside a Parallel's branches or a Map's item processor. */
function within(state: State, name: string): boolean {
  const machines =
    state.Type === "Parallel"
      ? state.Branches
      : state.Type === "Map"
        ? [state.ItemProcessor ?? state.Iterator].filter((m) => m !== undefined)
        : [];
  return machines.some(
    (m) => Object.hasOwn(m.States, name) || Object.values(m.States).some((s) => within(s, name)),
  );
}
