import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, Outcome, ProblemMessage, Time } from "../../components";
import { Csrf } from "../../layout";

export const entityHref = (type: string, id: string) =>
  `/console/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
export const typeHref = (type: string) => `/console/entities/${encodeURIComponent(type)}`;

export const EntitiesIndex: FC<{
  types: string[];
  cursor: string | null;
  problem?: ApiProblem | undefined;
}> = ({ types, cursor, problem }) => (
  <>
    <h1>Entities</h1>
    <p class="lead">JSON documents with versions, conditional writes, TTL and history.</p>
    <section class="card">
      <h2>Types</h2>
      <p class="card-note">
        The tenant's entity types with live documents, from the list index (a new type shows within seconds).
      </p>
      {problem ? <ProblemMessage problem={problem} /> : null}
      {types.length === 0 && !problem ? (
        <Empty>
          No entities yet. Create one below, or with PUT /v1/entities/&#123;type&#125;/&#123;id&#125;.
        </Empty>
      ) : (
        <ul class="type-list">
          {types.map((type) => (
            <li>
              <a href={typeHref(type)}>{type}</a>
            </li>
          ))}
        </ul>
      )}
      {cursor ? (
        <div class="pager">
          <a class="button secondary small" href={`/console/entities?cursor=${encodeURIComponent(cursor)}`}>
            More types →
          </a>
        </div>
      ) : null}
    </section>
    <div class="grid two">
      <form class="card" method="get" action="/console/entities">
        <h2>Browse a type</h2>
        <p class="card-note">Lists the type's documents from the list index (eventually consistent).</p>
        <div class="row">
          <div class="field">
            <label for="browse-type">Type</label>
            <input id="browse-type" name="type" required placeholder="user" spellcheck={false} />
          </div>
          <div class="field">
            <label for="browse-prefix">
              Id prefix <span class="hint">optional</span>
            </label>
            <input id="browse-prefix" name="prefix" spellcheck={false} />
          </div>
          <button type="submit">Browse</button>
        </div>
      </form>
      <form class="card" method="get" action="/console/entities">
        <h2>Open a document</h2>
        <p class="card-note">Reads it strongly from its Durable Object.</p>
        <div class="row">
          <div class="field">
            <label for="open-type">Type</label>
            <input id="open-type" name="type" required placeholder="user" spellcheck={false} />
          </div>
          <div class="field">
            <label for="open-id">Id</label>
            <input id="open-id" name="id" required placeholder="u-42" spellcheck={false} />
          </div>
          <button type="submit">Open</button>
        </div>
      </form>
    </div>
  </>
);

export interface ListItem {
  id: string;
  version: number;
  updatedAt: string;
}

export const TypePage: FC<{
  type: string;
  prefix: string;
  items: ListItem[];
  cursor: string | null;
  csrf: string;
  problem?: ApiProblem | undefined;
  createProblem?: ApiProblem | undefined;
  draft?: { id: string; body: string; ttl: string } | undefined;
  notice?: string | undefined;
}> = ({ type, prefix, items, cursor, csrf, problem, createProblem, draft, notice }) => (
  <>
    <div class="title-row">
      <h1>{type}</h1>
      <span class="muted">entity type</span>
    </div>
    <Outcome notice={notice} />
    <div class="grid side">
      <section class="card">
        <h2>Documents</h2>
        <p class="card-note">From the list index: a write shows here within seconds.</p>
        <form method="get" action={typeHref(type)} class="row filter-row">
          <div class="field">
            <label for="prefix">Id prefix</label>
            <input id="prefix" name="prefix" value={prefix} spellcheck={false} />
          </div>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <div class="stack">
          {problem ? <ProblemMessage problem={problem} /> : null}
          {!problem && items.length === 0 ? (
            <Empty>
              No documents{prefix ? " with this prefix" : ""} yet. New ones appear here within seconds.
            </Empty>
          ) : null}
          {items.length ? (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>Id</th>
                    <th class="num">Version</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr>
                      <td>
                        <a href={entityHref(type, item.id)}>{item.id}</a>
                      </td>
                      <td class="num">{item.version}</td>
                      <td>
                        <Time iso={item.updatedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
        {cursor ? (
          <div class="pager">
            <a
              class="button secondary small"
              href={`${typeHref(type)}?${new URLSearchParams({ prefix, cursor })}`}
            >
              Next page →
            </a>
          </div>
        ) : null}
      </section>
      <form class="card" method="post" action={typeHref(type)}>
        <h2>New document</h2>
        <Csrf token={csrf} />
        {createProblem ? <ProblemMessage problem={createProblem} heading="Not created" /> : null}
        <div class="field">
          <label for="new-id">Id</label>
          <input id="new-id" name="id" required value={draft?.id ?? ""} spellcheck={false} />
        </div>
        <div class="field">
          <label for="new-body">Document (JSON)</label>
          <textarea id="new-body" name="body" class="code" spellcheck={false}>
            {draft?.body ?? "{\n  \n}"}
          </textarea>
        </div>
        <div class="field">
          <label for="new-ttl">
            Expires after <span class="hint">seconds, optional</span>
          </label>
          <input id="new-ttl" name="ttl" inputmode="numeric" value={draft?.ttl ?? ""} />
        </div>
        <button type="submit">Create</button>
      </form>
    </div>
  </>
);
