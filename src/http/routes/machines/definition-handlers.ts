import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { listMachines as listMachineIndex } from "../../../cache/machine-index";
import { supportedResource } from "../../../executions/resources";
import type { StateMachineDefinition, StateOutcome } from "../../../machine/engine.ts";
import { renderDiagram, type StateRunStatus } from "../../../machine/graph/index.ts";
import { validateDefinitionText } from "../../../machine/validate/index.ts";
import { executionStub, machineStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, fromFailure } from "../../problem";
import { storedReplyResponse } from "../../stored-reply";
import { keyed } from "../entities/write-request";
import { cacheDefinition, definitionAt, forgetSpan } from "./definition-cache";
import {
  deleteMachine,
  getMachine,
  listMachines,
  machineDiagram,
  putMachine,
  validateDefinition,
} from "./definition-routes";

const iso = (ms: number) => new Date(ms).toISOString();

const validate = (text: string) => validateDefinitionText(text, { supportedResources: supportedResource });

/** The raw body text: duplicate keys, which JSON.parse would hide, reach the validator. */
async function bodyText(c: Context<AppEnv>): Promise<string> {
  return c.req.text();
}

const RUN_STATUS: Record<StateOutcome, StateRunStatus> = {
  succeeded: "succeeded",
  failed: "failed",
  caught: "caught",
  in_progress: "in_progress",
};

export function definitionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(validateDefinition, async (c) => {
    const { valid, diagnostics } = validate(await bodyText(c));
    return c.json({ valid, diagnostics }, 200);
  });

  app.openapi(putMachine, async (c) => {
    const { name } = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const verdict = validate(await bodyText(c));
    if (!verdict.valid) {
      const errors = verdict.diagnostics
        .filter((d) => d.severity === "ERROR")
        .map((d) => ({ pointer: d.pointer, message: `${d.code}: ${d.message}` }));
      throw badRequest(`the definition has ${errors.length} error(s)`, errors);
    }
    const text = JSON.stringify(verdict.definition);
    const reply = await machineStub(c.env, tenant, name).put(
      { tenant, machine: name },
      { ...(await keyed(c)), definition: text },
    );
    forgetSpan(tenant, name);
    // Diagnostics follow from the body, so a replay (same body) shows the same ones.
    const diagnostics = verdict.diagnostics.filter((d) => d.severity === "WARNING");
    return storedReplyResponse(c, reply, ({ version, createdAt, created }, replay) => {
      cacheDefinition(tenant, name, {
        version,
        createdAt,
        text,
        definition: verdict.definition as StateMachineDefinition,
      });
      return c.json({ name, version, createdAt: iso(createdAt), diagnostics }, created ? 201 : 200, replay);
    });
  });

  app.openapi(listMachines, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = await listMachineIndex(c.env.CACHE, {
      tenant: c.get("tenant")!,
      limit: limit ?? 100,
      ...(cursor ? { cursor } : {}),
    }).catch((e: unknown) => {
      throw cursor ? badRequest("the cursor is not valid for this listing") : e;
    });
    const items = page.items.map((m) => ({
      name: m.name,
      latestVersion: m.v,
      createdAt: iso(m.c),
      updatedAt: iso(m.u),
    }));
    return c.json({ items, cursor: page.cursor }, 200);
  });

  app.openapi(getMachine, async (c) => {
    const { name } = c.req.valid("param");
    const { version } = c.req.valid("query");
    const tenant = c.get("tenant")!;
    const read = await machineStub(c.env, tenant, name).get({ tenant, machine: name }, version);
    if (!read.ok) throw fromFailure(read);
    const v = read.value;
    return c.json(
      {
        name,
        version: v.version,
        createdAt: iso(v.createdAt),
        latestVersion: v.latestVersion,
        definition: JSON.parse(v.definition) as unknown,
        versions: v.versions.map((x) => ({ version: x.version, createdAt: iso(x.createdAt) })),
      },
      200,
    );
  });

  app.openapi(deleteMachine, async (c) => {
    const { name } = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const reply = await machineStub(c.env, tenant, name).remove({ tenant, machine: name }, await keyed(c));
    forgetSpan(tenant, name);
    return storedReplyResponse(c, reply, (_, replay) => c.body(null, 204, replay));
  });

  app.openapi(machineDiagram, async (c) => {
    const { name } = c.req.valid("param");
    const { version, execution } = c.req.valid("query");
    const tenant = c.get("tenant")!;
    let definition: StateMachineDefinition;
    let status: Record<string, StateRunStatus> | undefined;
    let title = name;
    if (execution !== undefined) {
      // The execution's own copy: it may run a version since replaced or deleted.
      const data = await executionStub(c.env, tenant, name, execution).diagram();
      if (!data.ok) throw fromFailure(data);
      definition = JSON.parse(data.value.definition) as StateMachineDefinition;
      status = Object.fromEntries(Object.entries(data.value.outcomes).map(([k, v]) => [k, RUN_STATUS[v]]));
      title = `${name} v${data.value.machineVersion} · ${execution}`;
    } else {
      const read = await definitionAt(c.env, tenant, name, version);
      if (!read.ok) throw fromFailure(read);
      definition = read.value.definition;
      title = `${name} v${read.value.version}`;
    }
    const svg = renderDiagram(definition, { ...(status ? { status } : {}), title });
    return c.body(svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8" });
  });
}
