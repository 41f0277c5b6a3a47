// The indexes of an entity type's console page: listing them, running the chosen one's query from
// the page's URL, and defining a new one. Every read and write is a /v1/indexes request.
import type { Context } from "hono";
import { isScalar } from "../../core/indexes/scalar";
import type { JsonValue } from "../../core/json/json-value";
import { type ApiClient, type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import {
  type IndexDraft,
  type IndexItem,
  type QueryForm,
  type QueryResult,
  RANGE_OPS,
} from "../pages/entities/index-views";
import { parseTyped } from "../typed-json";

export interface IndexPanel {
  indexes: IndexItem[];
  listProblem?: ApiProblem;
  form?: QueryForm;
  result?: QueryResult;
  queryProblem?: ApiProblem;
}

/** What the type page shows of its indexes; runs a query when the page's URL carries one. */
export async function indexPanel(
  c: Context<ConsoleEnv>,
  client: ApiClient,
  type: string,
): Promise<IndexPanel> {
  const listed = await client.request<{ items: IndexItem[] }>("GET", `/v1/indexes/${seg(type)}`);
  if (!listed.ok) return { indexes: [], listProblem: listed.problem };
  const indexes = listed.body.items;
  const chosen = indexes.find((i) => i.index === c.req.query("index"));
  if (!chosen) return { indexes };
  const form = formOf(c, chosen);
  // The index's link opens the form; a submitted form (its key fields in the URL) runs the query.
  if (c.req.query("k0") === undefined) return { indexes, form };
  const reply = await client.request<QueryResult>(
    "POST",
    `/v1/indexes/${seg(type)}/${seg(chosen.index)}/query`,
    {
      body: queryBody(chosen, form, c.req.query("cursor")),
    },
  );
  return reply.ok ? { indexes, form, result: reply.body } : { indexes, form, queryProblem: reply.problem };
}

/** A new index from the form: 1–3 pointers one per line, an optional sort pointer, unique or not. */
export async function createIndex(client: ApiClient, type: string, draft: IndexDraft) {
  const keys = draft.keys
    .split("\n")
    .map((k) => k.trim())
    .filter((k) => k !== "");
  const sort = draft.sort.trim();
  return client.request("PUT", `/v1/indexes/${seg(type)}/${seg(draft.name)}`, {
    body: { keys, ...(sort ? { sort } : {}), ...(draft.unique ? { unique: true } : {}) },
  });
}

function formOf(c: Context<ConsoleEnv>, index: IndexItem): QueryForm {
  const op = c.req.query("op") ?? "";
  return {
    index: index.index,
    values: index.keys.map((_, i) => c.req.query(`k${i}`) ?? ""),
    op: (RANGE_OPS as readonly string[]).includes(op) ? op : "",
    bound: c.req.query("bound") ?? "",
    order: c.req.query("order") === "desc" ? "desc" : "asc",
    limit: c.req.query("limit") ?? "",
    documents: c.req.query("include") === "documents",
  };
}

/** Typed text is a JSON scalar when it reads as one (42, true, null, "42"), else the text itself. */
function scalarOf(text: string): JsonValue {
  const typed = parseTyped(text, "the value");
  return typed.ok && isScalar(typed.value as JsonValue) ? (typed.value as JsonValue) : text;
}

function queryBody(index: IndexItem, form: QueryForm, cursor: string | undefined) {
  const where = Object.fromEntries(index.keys.map((key, i) => [key, scalarOf(form.values[i] ?? "")]));
  const limit = form.limit.trim();
  return {
    where,
    ...(form.op
      ? { range: { [form.op]: form.op === "beginsWith" ? form.bound : scalarOf(form.bound) } }
      : {}),
    order: form.order,
    // A limit that is not a whole number goes as typed, and the API says what is wrong with it.
    ...(limit ? { limit: /^\d{1,4}$/.test(limit) ? Number(limit) : limit } : {}),
    ...(form.documents ? { include: "documents" } : {}),
    ...(cursor ? { cursor } : {}),
  };
}
