import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Generation, IndexView } from "../../../core/indexes/contract";
import { definitionProblems, isUnique } from "../../../core/indexes/definition";
import type { QueryRequest } from "../../../core/indexes/query";
import { catalogStub, shardStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, fromFailure } from "../../problem";
import { storedReplyResponse } from "../../stored-reply";
import { keyed } from "../entities/write-request";
import { forgetIndex } from "./catalog-cache";
import { runQuery } from "./query";
import { deleteIndex, getIndex, listIndexes, putIndex, queryIndex } from "./routes";

const summary = (type: string, view: IndexView) => ({
  type,
  index: view.index,
  keys: view.keys,
  sort: view.sort,
  unique: isUnique(view),
  status: view.status,
  createdAt: new Date(view.createdAt).toISOString(),
});

export function indexRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(putIndex, async (c) => {
    const { type, index } = c.req.valid("param");
    const body = c.req.valid("json");
    const definition = {
      keys: body.keys,
      sort: body.sort ?? null,
      ...(body.unique ? { unique: true as const } : {}),
    };
    const problems = definitionProblems(definition);
    if (problems.length > 0) throw badRequest("the index definition is invalid", problems);
    const tenant = c.get("tenant")!;
    const reply = await catalogStub(c.env, { tenant, type }).define({ tenant, type }, index, {
      ...(await keyed(c)),
      definition,
    });
    forgetIndex(tenant, type, index);
    return storedReplyResponse(c, reply, ({ view, created }, replay) =>
      c.json(summary(type, view), created ? 201 : 200, replay),
    );
  });

  app.openapi(listIndexes, async (c) => {
    const { type } = c.req.valid("param");
    const views = await catalogStub(c.env, { tenant: c.get("tenant")!, type }).list();
    return c.json({ items: views.map((v) => summary(type, v)) }, 200);
  });

  app.openapi(getIndex, async (c) => {
    const { type, index } = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const read = await catalogStub(c.env, { tenant, type }).describe(index);
    if (!read.ok) throw fromFailure(read);
    const view = read.value;
    const entries = await countEntries(c.env, tenant, type, view.serving ?? view.building);
    return c.json(
      {
        ...summary(type, view),
        entries,
        rebuilding: view.rebuilding,
        ...(view.visited !== undefined ? { visited: view.visited } : {}),
      },
      200,
    );
  });

  app.openapi(deleteIndex, async (c) => {
    const { type, index } = c.req.valid("param");
    const tenant = c.get("tenant")!;
    const reply = await catalogStub(c.env, { tenant, type }).drop({ tenant, type }, index, await keyed(c));
    forgetIndex(tenant, type, index);
    return storedReplyResponse(c, reply, (_, replay) => c.body(null, 204, replay));
  });

  app.openapi(queryIndex, async (c) => {
    const { type, index } = c.req.valid("param");
    // The body passed the JSON gate (middleware/json-body.ts): every value in it is JSON.
    const request = c.req.valid("json") as QueryRequest;
    const reply = await runQuery(c.env, { tenant: c.get("tenant")!, type, index }, request);
    return c.json(reply, 200);
  });
}

/** Live entries over every shard of a generation (one RPC per shard, all at once). */
async function countEntries(env: Env, tenant: string, type: string, gen: Generation | null): Promise<number> {
  if (!gen) return 0;
  const counts = await Promise.all(
    Array.from({ length: gen.shards }, (_, shard) =>
      shardStub(env, { tenant, type, index: gen.index, gen: gen.gen, shard }).count(),
    ),
  );
  return counts.reduce<number>((n, c) => n + (c ?? 0), 0);
}
