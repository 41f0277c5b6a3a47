import type { OpenAPIHono } from "@hono/zod-openapi";
import { listExecutions as listExecutionIndex } from "../../../cache/machine-index";
import type { JsonValue } from "../../../core/json/json-value";
import type { ExecutionDescription } from "../../../executions/contract";
import { executionStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, fromFailure } from "../../problem";
import { replayHeaders, storedProblem, storedReplyResponse } from "../../stored-reply";
import { serveWatch } from "../../watch/serve-watch";
import { keyed } from "../entities/write-request";
import { definitionAt } from "./definition-cache";
import { executionNameFor } from "./execution-names";
import {
  describeExecution,
  executionHistory,
  listExecutions,
  redriveExecution,
  startExecution,
  stopExecution,
  watchExecution,
} from "./execution-routes";
import { listedExecution } from "./listing";

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
    const request = await keyed(c);
    const executionName = await executionNameFor(tenant, name, body.name, request.idempotency?.key);
    const stub = executionStub(c.env, tenant, name, executionName);
    const reply = await stub.start(
      { tenant, machine: name, execution: executionName },
      {
        ...request,
        machineVersion: definition.value.version,
        definition: definition.value.text,
        // Step Functions' default input is an empty object.
        input: body.input === undefined ? {} : body.input,
      },
    );
    const { outcome } = reply;
    if (!outcome.ok) return storedProblem(c, { ...reply, outcome });
    const { created, description } = outcome.value;
    const headers = { Location: `/v1/machines/${name}/executions/${executionName}`, ...replayHeaders(reply) };
    if (wait !== undefined && wait > 0) {
      // A replay waits again: it answers with the execution as it is by then.
      if (description.status !== "RUNNING") return c.json(description, 200, headers);
      // An object restarted mid-wait drops the waiter; the client then sees 202 and polls.
      const ended = await stub.awaitEnd(wait * 1000).catch(() => null);
      if (ended) return c.json(ended, 200, headers);
      return c.json(summary(description), 202, headers);
    }
    return c.json(summary(description), created ? 201 : 200, headers);
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
      limit: limit ?? 100,
      ...(cursor ? { cursor } : {}),
      ...(status ? { status } : {}),
    }).catch((e: unknown) => {
      throw cursor ? badRequest("the cursor is not valid for this listing") : e;
    });
    return c.json({ items: page.items.map(listedExecution), cursor: page.cursor }, 200);
  });

  app.openapi(describeExecution, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const read = await executionStub(c.env, c.get("tenant")!, name, params.execution).describe();
    if (!read.ok) throw fromFailure(read);
    return c.json(read.value, 200);
  });

  app.openapi(executionHistory, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const { limit, cursor } = c.req.valid("query");
    const page = await executionStub(c.env, c.get("tenant")!, name, params.execution).history({
      limit: limit ?? 100,
      after: cursor ?? 0,
    });
    if (!page.ok) throw fromFailure(page);
    return c.json(page.value, 200);
  });

  app.openapi(watchExecution, (c) => {
    const { name, execution } = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const address = { tenant, machine: name, execution };
    return serveWatch(c, executionStub(c.env, tenant, name, execution), address);
  });

  app.openapi(stopExecution, async (c) => {
    const params = c.req.valid("param");
    const { name } = params;
    const body = c.req.valid("json") ?? {};
    const tenant = c.get("tenant")!;
    const address = { tenant, machine: name, execution: params.execution };
    const reply = await executionStub(c.env, tenant, name, params.execution).stop(address, {
      ...(await keyed(c)),
      ...(body.error === undefined ? {} : { error: body.error }),
      ...(body.cause === undefined ? {} : { cause: body.cause }),
    });
    return storedReplyResponse(c, reply, (stopped, replay) => c.json(stopped, 200, replay));
  });

  app.openapi(redriveExecution, async (c) => {
    const params = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const address = { tenant, machine: params.name, execution: params.execution };
    const reply = await executionStub(c.env, tenant, params.name, params.execution).redrive(
      address,
      await keyed(c),
    );
    return storedReplyResponse(c, reply, (redriven, replay) => c.json(redriven.description, 200, replay));
  });
}
