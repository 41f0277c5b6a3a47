import type { OpenAPIHono } from "@hono/zod-openapi";
import { definitionAt } from "../../../cache/definition-cache";
import { listExecutions as listExecutionIndex } from "../../../cache/machine-index";
import type { Result } from "../../../core/result";
import type {
  ExecutionDescription,
  HistoryPage,
  StartOutcome,
  StartRequest,
} from "../../../executions/types";
import type { JsonValue } from "../../../machine/types.ts";
import { executionStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, fromFailure } from "../../problem";
import {
  describeExecution,
  executionHistory,
  listExecutions,
  startExecution,
  stopExecution,
} from "./execution-routes";

/** The RPC wrapper type of a recursive JsonValue is too deep for the checker; this is the plain shape. */
interface Starter {
  start(request: StartRequest): Promise<Result<StartOutcome>>;
  awaitEnd(ms: number): Promise<ExecutionDescription | null>;
  describe(): Promise<Result<ExecutionDescription>>;
  stop(error?: string, cause?: string): Promise<Result<ExecutionDescription>>;
  history(page: { limit: number; after: number }): Promise<Result<HistoryPage>>;
}

const execution = (env: Env, tenant: string, machine: string, name: string) =>
  executionStub(env, tenant, machine, name) as unknown as Starter;

const iso = (ms: number) => new Date(ms).toISOString();

/** JSON payloads are `unknown` to the response schema; this keeps the type checker out of JsonValue. */
const full = (d: ExecutionDescription) =>
  d as Omit<ExecutionDescription, "input" | "output"> & { input: unknown; output: unknown };

const summary = (d: ExecutionDescription) => ({
  name: d.name,
  machine: d.machine,
  machineVersion: d.machineVersion,
  status: d.status,
  startedAt: d.startedAt,
});

export function executionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(startExecution, async (c) => {
    const { name } = c.req.valid("param");
    const wait = c.req.valid("query").wait;
    const body = (c.req.valid("json") ?? {}) as { input?: JsonValue; name?: string };
    const tenant = c.get("tenant")!;
    const definition = await definitionAt(c.env, tenant, name);
    if (!definition.ok) throw fromFailure(definition);
    const executionName = body.name ?? crypto.randomUUID();
    const stub = execution(c.env, tenant, name, executionName);
    const started = await stub.start({
      tenant,
      machine: name,
      execution: executionName,
      machineVersion: definition.value.version,
      definition: definition.value.text,
      // Step Functions' default input is an empty object.
      input: body.input === undefined ? {} : body.input,
    });
    if (!started.ok) throw fromFailure(started);
    const { created, description } = started.value;
    const location = { Location: `/v1/machines/${name}/executions/${executionName}` };
    if (wait !== undefined && Number(wait) > 0) {
      if (description.status !== "RUNNING") return c.json(full(description), 200, location);
      // An object restarted mid-wait drops the waiter; the client then sees 202 and polls.
      const ended = await stub.awaitEnd(Number(wait) * 1000).catch(() => null);
      if (ended) return c.json(full(ended), 200, location);
      return c.json(summary(description), 202, location);
    }
    return c.json(summary(description), created ? 201 : 200, location);
  });

  app.openapi(listExecutions, async (c) => {
    const { name } = c.req.valid("param");
    const { status, limit, cursor } = c.req.valid("query");
    const tenant = c.get("tenant")!;
    const machine = await definitionAt(c.env, tenant, name);
    if (!machine.ok) throw fromFailure(machine);
    const page = await listExecutionIndex(c.env.CACHE, {
      tenant,
      machine: name,
      limit: limit === undefined ? 100 : Number(limit),
      ...(cursor ? { cursor } : {}),
      ...(status ? { status } : {}),
    }).catch((e: unknown) => {
      throw cursor ? badRequest("the cursor is not valid for this listing") : e;
    });
    const items = page.items.map((x) => ({
      name: x.name,
      status: x.s,
      machineVersion: x.v,
      startedAt: iso(x.t),
      stoppedAt: x.e === null ? null : iso(x.e),
    }));
    return c.json({ items, cursor: page.cursor }, 200);
  });

  app.openapi(describeExecution, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const read = await execution(c.env, c.get("tenant")!, name, params.execution).describe();
    if (!read.ok) throw fromFailure(read);
    return c.json(full(read.value), 200);
  });

  app.openapi(executionHistory, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const { limit, cursor } = c.req.valid("query");
    const page = await execution(c.env, c.get("tenant")!, name, params.execution).history({
      limit: limit === undefined ? 100 : Number(limit),
      after: cursor === undefined ? 0 : Number(cursor),
    });
    if (!page.ok) throw fromFailure(page);
    return c.json(page.value, 200);
  });

  app.openapi(stopExecution, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const body = (c.req.valid("json") ?? {}) as { error?: string; cause?: string };
    const stopped = await execution(c.env, c.get("tenant")!, name, params.execution).stop(
      body.error,
      body.cause,
    );
    if (!stopped.ok) throw fromFailure(stopped);
    return c.json(full(stopped.value), 200);
  });
}
