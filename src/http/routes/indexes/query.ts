// Running a query: the index's serving generation (catalog-cache.ts), the key values hashed as
// the entities hashed them, the one shard that holds them, and the page shaped for the client.
// Documents come from the index itself (the entity's sealed value of the version indexed), opened
// here, so a page of 1,000 documents is one shard read and no entity is woken.
import { getConfig } from "../../../config";
import type { Generation, ShardAddress, ShardItem, ShardQuery } from "../../../core/indexes/contract";
import { encodeCursor } from "../../../core/indexes/cursor";
import { keyMessage, shardOfHash } from "../../../core/indexes/key-message";
import { planQuery, type QueryPlan, type QueryRequest } from "../../../core/indexes/query";
import { decodeScalar } from "../../../core/indexes/scalar";
import type { JsonValue } from "../../../core/json/json-value";
import { fail } from "../../../core/result";
import { blindHash } from "../../../crypto/blind-index";
import { SealError } from "../../../crypto/sealer";
import { shardStub } from "../../../objects/names";
import { fromFailure, problem } from "../../problem";
import { forgetIndex, indexView } from "./catalog-cache";

export interface QueryReply {
  items: { id: string; version: number; updatedAt: string; sort?: JsonValue; body?: JsonValue }[];
  cursor: string | null;
}

/** A query checked against its index: the serving generation, the shard to read and what to ask it. */
export interface PlannedQuery {
  gen: Generation;
  plan: QueryPlan;
  shard: ShardAddress;
  query: ShardQuery;
}

/** Throws the problem a query gets: 404 (no index), 409 (BUILDING), 400 (malformed), key unavailable. */
export async function planOnShard(
  env: Env,
  at: { tenant: string; type: string; index: string },
  request: QueryRequest,
  fresh: boolean,
): Promise<PlannedQuery> {
  const view = await indexView(env, at.tenant, at.type, at.index, { fresh });
  if (!view.ok) throw fromFailure(view);
  if (view.value.status === "BUILDING" || !view.value.serving) {
    throw problem(
      "conflict",
      `index ${at.index} is being built over the type's entities (BUILDING); try again soon`,
    );
  }
  const gen = view.value.serving;
  const plan = planQuery(at.index, view.value, request);
  if (!plan.ok) throw fromFailure(plan);
  const ring = getConfig(env).ring;
  const keyHash = ring && blindHash(ring, gen.keyId, at.tenant, keyMessage(gen.gen, plan.value.keys));
  if (!keyHash) {
    throw fromFailure(
      fail(
        "key_unavailable",
        `index ${at.index} hashes under key "${gen.keyId}", which is not in ENCRYPTION_KEYS`,
      ),
    );
  }
  const { from, to, after } = plan.value;
  return {
    gen,
    plan: plan.value,
    shard: {
      tenant: at.tenant,
      type: at.type,
      index: gen.index,
      gen: gen.gen,
      shard: shardOfHash(keyHash, gen.shards),
    },
    query: {
      keyHash,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      order: plan.value.order,
      limit: plan.value.limit,
      ...(after ? { after } : {}),
      bodies: plan.value.include === "documents",
    },
  };
}

export async function runQuery(
  env: Env,
  at: { tenant: string; type: string; index: string },
  request: QueryRequest,
): Promise<QueryReply> {
  for (let attempt = 0; ; attempt++) {
    const planned = await planOnShard(env, at, request, attempt > 0);
    const page = await shardStub(env, planned.shard).query(planned.query);
    // Dropped or rebuilt since this isolate cached it: read the catalog once more.
    if (page.retired) {
      forgetIndex(at.tenant, at.type, at.index);
      if (attempt === 0) continue;
      throw problem("not_found", `no index named ${at.index}`);
    }
    return shape(env, at, planned.gen, planned.plan, page.items, page.more);
  }
}

async function shape(
  env: Env,
  at: { tenant: string; type: string; index: string },
  gen: Generation,
  plan: QueryPlan,
  items: ShardItem[],
  more: boolean,
): Promise<QueryReply> {
  const sealer = getConfig(env).sealer!;
  const shaped = await Promise.all(
    items.map(async (item) => {
      const out: QueryReply["items"][number] = {
        id: item.id,
        version: item.version,
        updatedAt: new Date(item.updatedAt).toISOString(),
      };
      if (gen.sort !== null) out.sort = decodeScalar(item.sort);
      if (plan.include === "documents" && item.body !== undefined) {
        out.body = JSON.parse(await openDocument(sealer, at, item, item.body)) as JsonValue;
      }
      return out;
    }),
  );
  const last = items[items.length - 1];
  const cursor =
    more && last
      ? encodeCursor({
          index: at.index,
          order: plan.order,
          sort: last.sort,
          id: last.id,
          sortPointer: gen.sort,
        })
      : null;
  return { items: shaped, cursor };
}

/** The entity's own sealed value, opened in the entity's place; a failure is the 500 it would be there. */
async function openDocument(
  sealer: NonNullable<ReturnType<typeof getConfig>["sealer"]>,
  at: { tenant: string; type: string },
  item: ShardItem,
  body: string,
): Promise<string> {
  try {
    return await sealer.open(body, {
      tenant: at.tenant,
      kind: "entity",
      name: `${at.type}/${item.id}`,
      version: item.version,
    });
  } catch (e) {
    if (e instanceof SealError)
      throw fromFailure(fail(e.reason, `entity ${at.type}/${item.id}: ${e.message}`));
    throw e;
  }
}
