// Helpers for index tests: defining an index, driving its build to the end, making sure entities
// have delivered what their commits owe, and querying, all through the real Worker and objects.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { api, type Call, json } from "./api";
import { type EntityRef, entityObject } from "./entities";

export interface IndexBody {
  keys: string[];
  sort?: string | null;
  unique?: boolean;
}

export interface QueryItem {
  id: string;
  version: number;
  updatedAt: string;
  sort?: unknown;
  body?: unknown;
}

export const catalogObject = (type: string, tenant = "default") =>
  env.INDEX_CATALOGS.getByName(`${tenant}/${type}`);

export const defineIndex = (type: string, index: string, body: IndexBody, call: Call = {}) =>
  api("PUT", `/v1/indexes/${type}/${index}`, { ...call, body });

export const describeIndex = (type: string, index: string, call: Call = {}) =>
  api("GET", `/v1/indexes/${type}/${index}`, call);

/** From the type's list, which (unlike GET of one index) does not count entries over every shard. */
export async function statusOf(type: string, index: string, call: Call = {}): Promise<string> {
  const res = await api("GET", `/v1/indexes/${type}`, call);
  expect(res.status).toBe(200);
  const found = (await json<{ items: { index: string; status: string }[] }>(res)).items.find(
    (i) => i.index === index,
  );
  if (!found) throw new Error(`no index ${index}`);
  return found.status;
}

/** Runs the catalog's alarm until the index is ACTIVE (each alarm is a bounded batch of the build). */
export async function buildToEnd(type: string, index: string, tenant = "default"): Promise<void> {
  const call = tenant === "default" ? {} : { tenant };
  for (let i = 0; i < 2_000; i++) {
    if ((await statusOf(type, index, call)) === "ACTIVE") return;
    await runDurableObjectAlarm(catalogObject(type, tenant));
  }
  throw new Error(`index ${type}/${index} never became ACTIVE`);
}

/** Every entity has delivered what its commits owe (its alarm delivers what the commit's own delivery did not). */
export async function delivered(refs: EntityRef[]): Promise<void> {
  for (let i = 0; i < refs.length; i += 16) {
    await Promise.all(refs.slice(i, i + 16).map((ref) => runDurableObjectAlarm(entityObject(ref))));
  }
}

export interface QueryBody {
  where: Record<string, unknown>;
  range?: Record<string, unknown>;
  order?: "asc" | "desc";
  limit?: number;
  cursor?: string | null;
  include?: "ids" | "documents";
}

export const query = (type: string, index: string, body: QueryBody, call: Call = {}) =>
  api("POST", `/v1/indexes/${type}/${index}/query`, { ...call, body });

/** One page; fails the test on anything but a 200. */
export async function page(
  type: string,
  index: string,
  body: QueryBody,
  call: Call = {},
): Promise<{ items: QueryItem[]; cursor: string | null }> {
  const res = await query(type, index, body, call);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text);
}

/** Every match, page by page. */
export async function all(
  type: string,
  index: string,
  body: QueryBody,
  call: Call = {},
): Promise<QueryItem[]> {
  const items: QueryItem[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const p = await page(type, index, { ...body, cursor }, call);
    items.push(...p.items);
    cursor = p.cursor;
    if (cursor === null) return items;
  }
  throw new Error("paging never ended");
}

/** The shard objects of an index's serving (or building) generation. */
export async function shardsOf(
  type: string,
  index: string,
  tenant = "default",
): Promise<DurableObjectStub[]> {
  const view = await runInDurableObject(catalogObject(type, tenant), async (instance) =>
    (
      instance as unknown as {
        describe(i: string): Promise<{ ok: boolean; value: { serving: Gen | null; building: Gen | null } }>;
      }
    ).describe(index),
  );
  const gen = view.value.serving ?? view.value.building;
  if (!gen) throw new Error("no generation");
  return Array.from({ length: gen.shards }, (_, shard) =>
    env.INDEX_SHARDS.getByName(`${tenant}/${type}/${index}/${gen.gen}/${shard}`),
  );
}

interface Gen {
  gen: string;
  shards: number;
}
