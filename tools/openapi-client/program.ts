// A small program written against a client generated from /openapi.json (openapi-typescript types,
// openapi-fetch calls), as a user of edgestate would write it: entities, sessions and executions.
// `npm run check:client` type-checks it, so a document that types a body or a parameter wrongly
// fails the check; test/contract/typed-client.test.ts runs it through the Worker, every reply
// checked against the document.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./generated/edgestate";

export type EdgestateClient = Client<paths>;
type Session = components["schemas"]["Session"];
type ExecutionStatus = components["schemas"]["ExecutionDescription"]["status"];

export const edgestate = (baseUrl: string, apiKey: string, fetch?: typeof globalThis.fetch) =>
  createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(fetch ? { fetch } : {}),
  });

const MERGE_PATCH = { "Content-Type": "application/merge-patch+json" } as const;
const JSON_PATCH = { "Content-Type": "application/json-patch+json" } as const;

export interface Tour {
  cart: unknown;
  cartVersion: number;
  notModified: boolean;
  sessionData: Session["data"];
  executionStatus: ExecutionStatus;
  historyTypes: string[];
}

export async function tour(client: EdgestateClient, id: string): Promise<Tour> {
  const entity = { params: { path: { type: "cart", id } } };
  // Entities: create with a TTL (an integer), read conditionally, patch both ways.
  const put = await client.PUT("/v1/entities/{type}/{id}", {
    params: { ...entity.params, query: { ttl: 3600 } },
    body: { items: ["apple"] },
  });
  if (put.response.status !== 201) throw new Error(`PUT answered ${put.response.status}`);
  const etag = put.response.headers.get("ETag")!;
  const read = await client.GET("/v1/entities/{type}/{id}", {
    params: { ...entity.params, header: { "if-none-match": etag } },
  });
  await client.PATCH("/v1/entities/{type}/{id}", {
    ...entity,
    headers: MERGE_PATCH,
    body: { coupon: "WELCOME" },
  });
  const patched = await client.PATCH("/v1/entities/{type}/{id}", {
    params: { ...entity.params, header: { "if-match": '"2"' } },
    headers: JSON_PATCH,
    body: [{ op: "add", path: "/items/-", value: "pear" }],
  });
  if (patched.error) throw new Error(`PATCH: ${patched.error.detail}`);

  // Sessions: data is any JSON object, and PATCH is a merge patch.
  const session = await client.POST("/v1/sessions", {
    body: { subject: `user-${id}`, ttl: 600, data: { n: 1 } },
  });
  if (!session.data) throw new Error(`POST /v1/sessions: ${session.error?.detail}`);
  const changed = await client.PATCH("/v1/sessions/{id}", {
    params: { path: { id: session.data.id } },
    headers: MERGE_PATCH,
    body: { n: 2, theme: "dark" },
  });
  if (!changed.data) throw new Error(`PATCH session: ${changed.error?.detail}`);

  // Executions: a definition, a run waited on (an integer), its history.
  const machine = `tour-${id}`;
  await client.PUT("/v1/machines/{name}", {
    params: { path: { name: machine } },
    body: { StartAt: "Done", States: { Done: { Type: "Pass", Result: { ok: true }, End: true } } },
  });
  const run = await client.POST("/v1/machines/{name}/executions", {
    params: { path: { name: machine }, query: { wait: 10 } },
    body: { name: "first", input: { cart: id } },
  });
  if (!run.data) throw new Error(`start: ${run.error?.detail}`);
  const described = await client.GET("/v1/machines/{name}/executions/{execution}", {
    params: { path: { name: machine, execution: run.data.name } },
  });
  if (!described.data) throw new Error(`describe: ${described.error?.detail}`);
  const history = await client.GET("/v1/machines/{name}/executions/{execution}/history", {
    params: { path: { name: machine, execution: run.data.name }, query: { limit: 100 } },
  });

  return {
    cart: patched.data,
    cartVersion: Number(patched.response.headers.get("Edgestate-Version")),
    notModified: read.response.status === 304,
    sessionData: changed.data.data,
    executionStatus: described.data.status,
    historyTypes: (history.data?.events ?? []).map((e) => e.type),
  };
}

/** What the generated types refuse: each marked line must fail to type-check, or the document is too loose. */
export async function refusedByTheTypes(client: EdgestateClient) {
  await client.PUT("/v1/entities/{type}/{id}", {
    params: {
      path: { type: "t", id: "i" },
      // @ts-expect-error ttl is an integer, not a string
      query: { ttl: "60" },
    },
    body: {},
  });
  await client.POST("/v1/sessions", {
    // @ts-expect-error sliding is a boolean (openapi-fetch infers `init`, so an extra field gets through)
    body: { sliding: "yes" },
  });
  await client.POST("/v1/machines/{name}/executions", {
    params: {
      path: { name: "m" },
      // @ts-expect-error wait is an integer
      query: { wait: "5" },
    },
  });
  const described = await client.GET("/v1/machines/{name}/executions/{execution}", {
    params: { path: { name: "m", execution: "e" } },
  });
  // @ts-expect-error DONE is not an execution status
  if (described.data?.status === "DONE") return;
}
