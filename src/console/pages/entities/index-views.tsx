// The entity type page's indexes: each one with its status, a query form for the one chosen, its
// results page by page, and a form to define a new index.
import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, JsonBlock, ProblemMessage, StatusBadge, Time } from "../../components";
import { Csrf } from "../../layout";
import { entityHref, typeHref } from "./browse-views";

export interface IndexItem {
  index: string;
  keys: string[];
  sort: string | null;
  /** No two live entities may share the key values (a write that would gets 409). */
  unique: boolean;
  status: string;
}

/** The new-index form as typed. */
export interface IndexDraft {
  name: string;
  keys: string;
  sort: string;
  unique: boolean;
}

/** The query form as typed: one text per key, the range, the page. */
export interface QueryForm {
  index: string;
  values: string[];
  op: string;
  bound: string;
  order: string;
  limit: string;
  documents: boolean;
}

export interface QueryResult {
  items: { id: string; version: number; updatedAt: string; sort?: unknown; body?: unknown }[];
  cursor: string | null;
}

export const RANGE_OPS = ["gt", "gte", "lt", "lte", "beginsWith"] as const;

/** The page's URL for a query form (and a cursor), so a query is a link that can be shared. */
export function queryHref(type: string, form: QueryForm, cursor?: string): string {
  const params = new URLSearchParams({ index: form.index });
  for (const [i, v] of form.values.entries()) params.set(`k${i}`, v);
  if (form.op) params.set("op", form.op);
  if (form.op) params.set("bound", form.bound);
  if (form.order !== "asc") params.set("order", form.order);
  if (form.limit) params.set("limit", form.limit);
  if (form.documents) params.set("include", "documents");
  if (cursor) params.set("cursor", cursor);
  return `${typeHref(type)}?${params}#query`;
}

export const IndexesCard: FC<{
  type: string;
  indexes: IndexItem[];
  listProblem?: ApiProblem | undefined;
  form?: QueryForm | undefined;
  result?: QueryResult | undefined;
  queryProblem?: ApiProblem | undefined;
  csrf: string;
  createProblem?: ApiProblem | undefined;
  draft?: IndexDraft | undefined;
}> = (p) => {
  const chosen = p.form ? p.indexes.find((i) => i.index === p.form!.index) : undefined;
  return (
    <div class="grid side">
      <section class="card" id="query">
        <h2>Indexes</h2>
        <p class="card-note">
          Query by key values, in sort order. Queries are eventually consistent: a write shows within about a
          second.
        </p>
        {p.listProblem ? <ProblemMessage problem={p.listProblem} /> : null}
        {!p.listProblem && p.indexes.length === 0 ? <Empty>No indexes on this type yet.</Empty> : null}
        {p.indexes.length ? (
          <table class="indexes">
            <thead>
              <tr>
                <th>Index</th>
                <th>Keys</th>
                <th>Sort</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {p.indexes.map((i) => (
                <tr>
                  <td>
                    <a href={`${typeHref(p.type)}?${new URLSearchParams({ index: i.index })}#query`}>
                      {i.index}
                    </a>
                  </td>
                  <td>
                    <code>{i.keys.join(", ")}</code>
                    {i.unique ? (
                      <>
                        {" "}
                        <span class="badge" title="no two live entities share these key values">
                          unique
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{i.sort ? <code>{i.sort}</code> : <span class="muted">by id</span>}</td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {chosen && p.form ? <QueryFormView type={p.type} index={chosen} form={p.form} /> : null}
        {p.queryProblem ? <ProblemMessage problem={p.queryProblem} heading="Query refused" /> : null}
        {p.result && p.form ? (
          <Results type={p.type} form={p.form} result={p.result} sorted={chosen?.sort != null} />
        ) : null}
      </section>
      <NewIndexForm type={p.type} csrf={p.csrf} problem={p.createProblem} draft={p.draft} />
    </div>
  );
};

const QueryFormView: FC<{ type: string; index: IndexItem; form: QueryForm }> = ({ type, index, form }) => (
  <form method="get" action={`${typeHref(type)}#query`} class="stack query-form">
    <h3>
      Query <code>{index.index}</code>
    </h3>
    <input type="hidden" name="index" value={index.index} />
    <p class="hint">Values are JSON scalars (42, true, null, "42"); other text is taken as a string.</p>
    {index.keys.map((key, i) => (
      <div class="field">
        <label for={`k${i}`}>
          <code>{key}</code> equals
        </label>
        <input id={`k${i}`} name={`k${i}`} value={form.values[i] ?? ""} spellcheck={false} />
      </div>
    ))}
    {index.sort ? (
      <div class="row">
        <div class="field">
          <label for="op">
            <code>{index.sort}</code>
          </label>
          <select id="op" name="op">
            <option value="">any</option>
            {RANGE_OPS.map((op) => (
              <option value={op} selected={form.op === op}>
                {op}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="bound">Value</label>
          <input id="bound" name="bound" value={form.bound} spellcheck={false} />
        </div>
      </div>
    ) : null}
    <div class="row">
      <div class="field">
        <label for="order">Order</label>
        <select id="order" name="order">
          <option value="asc" selected={form.order !== "desc"}>
            ascending
          </option>
          <option value="desc" selected={form.order === "desc"}>
            descending
          </option>
        </select>
      </div>
      <div class="field">
        <label for="limit">
          Page size <span class="hint">1–1000</span>
        </label>
        <input id="limit" name="limit" inputmode="numeric" value={form.limit} placeholder="100" />
      </div>
      <label class="check">
        <input type="checkbox" name="include" value="documents" checked={form.documents} /> documents
      </label>
    </div>
    <button type="submit">Run query</button>
  </form>
);

const Results: FC<{ type: string; form: QueryForm; result: QueryResult; sorted: boolean }> = ({
  type,
  form,
  result,
  sorted,
}) => (
  <div class="stack results">
    {result.items.length === 0 ? <Empty>No entity matches.</Empty> : null}
    {result.items.length ? (
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th class="num">Version</th>
            {sorted ? <th>Sort value</th> : null}
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {result.items.map((item) => (
            <tr>
              <td>
                <a href={entityHref(type, item.id)}>{item.id}</a>
                {form.documents ? <JsonBlock value={item.body} /> : null}
              </td>
              <td class="num">{item.version}</td>
              {sorted ? (
                <td>
                  <code>{JSON.stringify(item.sort)}</code>
                </td>
              ) : null}
              <td>
                <Time iso={item.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
    {result.cursor ? (
      <div class="pager">
        <a class="button secondary small" href={queryHref(type, form, result.cursor)}>
          Next page →
        </a>
      </div>
    ) : null}
  </div>
);

const NewIndexForm: FC<{
  type: string;
  csrf: string;
  problem?: ApiProblem | undefined;
  draft?: IndexDraft | undefined;
}> = ({ type, csrf, problem, draft }) => (
  <form class="card" method="post" action={`${typeHref(type)}/indexes`}>
    <h2>New index</h2>
    <Csrf token={csrf} />
    {problem ? <ProblemMessage problem={problem} heading="Not created" /> : null}
    <div class="field">
      <label for="index-name">Name</label>
      <input
        id="index-name"
        name="name"
        required
        value={draft?.name ?? ""}
        placeholder="by-customer"
        spellcheck={false}
      />
    </div>
    <div class="field">
      <label for="index-keys">
        Keys <span class="hint">1–3 JSON Pointers, one per line</span>
      </label>
      <textarea id="index-keys" name="keys" class="code short" spellcheck={false} placeholder="/customer">
        {draft?.keys ?? ""}
      </textarea>
    </div>
    <div class="field">
      <label for="index-sort">
        Sort <span class="hint">a JSON Pointer, optional</span>
      </label>
      <input
        id="index-sort"
        name="sort"
        value={draft?.sort ?? ""}
        placeholder="/createdAt"
        spellcheck={false}
      />
    </div>
    <label class="check">
      <input type="checkbox" name="unique" value="on" checked={draft?.unique ?? false} /> unique{" "}
      <span class="hint">a write that would give two live entities the same key values gets 409</span>
    </label>
    <button type="submit">Create index</button>
  </form>
);
