// Performs one InvokeTaskEffect: picks the integration by resource and turns whatever happens into
// a TaskOutcome. Nothing here throws for an expected failure; an unexpected one becomes
// States.TaskFailed so the machine's Retry/Catch can handle it.
import { getConfig } from "../config";
import type { EntityAddress, EntityApi } from "../core/entity/contract";
import type { InvokeTaskEffect } from "../machine/engine.ts";
import { withCallSlot } from "./call-slots";
import { invokeEntity } from "./entity-task";
import { type HttpExchange, invokeHttp } from "./http-task";
import { classifyResource, ENTITY_ACTIONS, HTTP_RESOURCES } from "./resources";
import { deploymentPseudonym } from "./self-call";
import { failed, type TaskOutcome } from "./task-outcome";

export interface TaskContext {
  env: Env;
  tenant: string;
  /** The execution's identity (tenant/machine/execution): its calls share one cap. */
  execution: string;
  /** The execution's own identity (its object's uid): never shared by two executions, whatever their names. */
  executionUid: string;
  /** The entity objects of the execution's tenant (the caller names them; this layer does not). */
  entity: (address: EntityAddress) => EntityApi;
  /** Epoch ms by the execution's clock. */
  now: number;
  /** TestState at TRACE: the HTTP call made. */
  observe?: (exchange: HttpExchange) => void;
}

/**
 * The idempotency key a task call carries: the interpreter's key for the logical call
 * (`<execution name>/<state path>/<attempt>`, stable across re-drives of one attempt) scoped by
 * the execution's uid, so two executions never share a key — not across tenants, not across
 * machines, not when an execution name is reused.
 */
export const taskKey = (executionUid: string, effect: InvokeTaskEffect): string =>
  `${executionUid}:${effect.idempotencyKey}`;

/** The fetch is aborted a little after the deadline, so the interpreter's States.Timeout wins. */
const ABORT_MARGIN_MS = 50;

export async function runTask(effect: InvokeTaskEffect, ctx: TaskContext): Promise<TaskOutcome> {
  const resource = classifyResource(effect.resource);
  let outcome: TaskOutcome;
  try {
    switch (resource.kind) {
      case "http":
        outcome = await callOut(effect, ctx);
        break;
      case "entity":
        outcome = await invokeEntity(
          ctx.entity,
          ctx.tenant,
          resource.action,
          effect.parameters,
          taskKey(ctx.executionUid, effect),
        );
        break;
      case "unsupported":
        return failed(
          "States.TaskFailed",
          `The resource '${effect.resource}' is not supported by edgestate; it runs ${HTTP_RESOURCES.join(", ")} and edgestate:entity:${ENTITY_ACTIONS.join("|")}, each optionally with .waitForTaskToken.`,
        );
    }
  } catch (e) {
    return failed(
      "States.TaskFailed",
      `The task could not be performed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return resource.callback && outcome.type === "succeeded" ? { type: "called" } : outcome;
}

/** An HTTP call waits for one of the execution's slots; its timeout counts the wait. */
async function callOut(effect: InvokeTaskEffect, ctx: TaskContext): Promise<TaskOutcome> {
  const config = getConfig(ctx.env);
  const pseudonym = await deploymentPseudonym(ctx.env);
  const queuedAt = Date.now();
  return withCallSlot(ctx.execution, config.httpTaskMaxConcurrency, () =>
    invokeHttp(effect.parameters, taskKey(ctx.executionUid, effect), {
      policy: config.httpTaskOrigins,
      pseudonym,
      timeoutMs: effect.timeoutAt - ctx.now - (Date.now() - queuedAt) + ABORT_MARGIN_MS,
      ...(ctx.observe ? { observe: ctx.observe } : {}),
    }),
  );
}
