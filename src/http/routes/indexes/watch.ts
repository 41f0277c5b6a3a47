// GET /v1/indexes/{type}/{index}/query/watch: a query watched as matching entities change. The
// query is the body of POST …/query, carried in `?query=` (a WebSocket upgrade and an EventSource
// are both GETs); the watch is held by the one shard that holds the query's key, which answers with
// the current page and then tells each change applied to its key and range.
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { QueryRequest } from "../../../core/indexes/query";
import {
  keptBytes,
  MAX_KEPT_BYTES,
  type QueryWatchAddress,
  rangeOf,
  toWire,
} from "../../../core/indexes/query-watch";
import { parseJson } from "../../../core/json/parse-json";
import { shardStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { badRequest, ProblemError } from "../../problem";
import { problemContent } from "../../schemas/common";
import { issuesToErrors } from "../../validation";
import { serveWatch } from "../../watch/serve-watch";
import { watchRoute } from "../../watch/watch-route";
import { planOnShard } from "./query";
import { params, QueryBody } from "./routes";

/** Where a problem inside the query points: the `query` parameter, then into its JSON. */
const AT = ["query", "query"];

export const watchQuery = watchRoute({
  operationId: "watchIndexQuery",
  path: "/v1/indexes/{type}/{index}/query/watch",
  tags: ["indexes"],
  summary: "Watch a query: its current page, then every matching entity that enters, changes or leaves",
  description:
    "`query` is the body of POST …/query as JSON. First " +
    '`{"type":"page","items":[…],"cursor"}`, the page POST …/query answers; then, for every change ' +
    "the index applies to the query's key values and range (whatever the page's limit and cursor), " +
    '`{"type":"added"|"changed","id","version","updatedAt","sort"?,"body"?}` (body with ' +
    '`include: "documents"`) and `{"type":"removed","id","version"}`. An index keeps no history, so ' +
    "this watch does not resume: no `since` or Last-Event-ID; after any close, watch again for the " +
    "current page. 4410: the index was dropped or rebuilt (key rotation): watch again.",
  params,
  seq: null,
  query: {
    query: z.string().max(16_384).openapi({
      description: "The query: the JSON body POST …/query takes",
      example: '{"where":{"/customer":"c-42"}}',
    }),
  },
  responses: {
    409: problemContent("The index is still being built (BUILDING)"),
    500: problemContent("A stored document cannot be opened (its key left the ring)"),
  },
});

function queryOf(text: string): QueryRequest {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    throw badRequest(`the query is not JSON: ${parsed.message}`, [
      { pointer: "/query/query", message: "must be the JSON body POST …/query takes" },
    ]);
  }
  const checked = QueryBody.safeParse(parsed.value);
  if (!checked.success) throw badRequest("the query is invalid", issuesToErrors(checked.error.issues, AT));
  return checked.data as QueryRequest;
}

/** A query's own problems point into `?query=` (`/query/query/where/…`), not into a body. */
function inQuery<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((e: unknown) => {
    if (!(e instanceof ProblemError) || !e.init.errors) throw e;
    const errors = e.init.errors.map((error) => ({ ...error, pointer: `/query/query${error.pointer}` }));
    throw new ProblemError({ ...e.init, errors });
  });
}

export function queryWatchRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(watchQuery, async (c) => {
    const { type, index } = c.req.valid("param");
    const request = queryOf(c.req.valid("query").query);
    // A watch lasts: the catalog is read afresh, not from this isolate's few seconds of cache.
    const tenant = c.get("tenant")!;
    const planned = await inQuery(() => planOnShard(c.env, { tenant, type, index }, request, true));
    const sorted = planned.gen.sort !== null;
    if (keptBytes(rangeOf(planned.query, sorted, { tenant, type })) > MAX_KEPT_BYTES)
      throw badRequest("the range's bounds are too long to watch", [
        {
          pointer: "/query/query/range",
          message: `must be shorter to watch (about ${MAX_KEPT_BYTES - 200} bytes)`,
        },
      ]);
    const address: QueryWatchAddress = {
      shard: planned.shard,
      sorted,
      sortPointer: planned.gen.sort,
      query: toWire(planned.query),
    };
    return serveWatch(c, shardStub(c.env, planned.shard), address, { resumable: false });
  });
}
