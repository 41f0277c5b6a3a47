import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, JsonBlock, Notice, ProblemMessage, Time } from "../../components";
import { Csrf } from "../../layout";
import { entityHref, typeHref } from "./browse-views";

export interface EntityDoc {
  version: number;
  updatedAt: string | null;
  expiresAt: string | null;
  /** The transaction holding the document between its two phases, if one does. */
  heldBy: string | null;
  body: unknown;
}

export interface HistoryItem {
  version: number;
  op: "put" | "patch" | "delete";
  at: string;
  body: unknown;
}

export type SaveOutcome =
  | { kind: "saved"; version: number }
  | { kind: "conflict"; yourBase: number; current: number | null }
  | { kind: "problem"; problem: ApiProblem }
  | { kind: "invalid-json"; message: string };

export const EntityPage: FC<{
  type: string;
  id: string;
  doc: EntityDoc | null;
  viewingVersion: number | null;
  latestVersion: number | null;
  readProblem?: ApiProblem | undefined;
  history: HistoryItem[];
  historyCursor: string | null;
  csrf: string;
  draft?: string | undefined;
  base?: number | undefined;
  outcome?: SaveOutcome | undefined;
}> = (p) => {
  const { type, id, doc } = p;
  const base = p.base ?? doc?.version;
  const draft = p.draft ?? (doc ? JSON.stringify(doc.body, null, 2) : "");
  const editable = doc !== null && p.viewingVersion === null;
  return (
    <>
      <div class="title-row">
        <h1>{id}</h1>
        <span class="muted">
          in <a href={typeHref(type)}>{type}</a>
        </span>
      </div>
      <Outcome outcome={p.outcome} />
      {p.readProblem ? <ProblemMessage problem={p.readProblem} /> : null}
      {doc?.heldBy ? <HeldNotice transaction={doc.heldBy} /> : null}
      {doc ? (
        <div class="grid side">
          <section class="card">
            <h2>
              {p.viewingVersion !== null ? `Version ${p.viewingVersion}` : "Document"}
              {p.viewingVersion !== null ? (
                <a class="small" href={entityHref(type, id)}>
                  back to the latest
                </a>
              ) : null}
            </h2>
            <JsonBlock value={doc.body} />
          </section>
          <section class="card">
            <h2>Facts</h2>
            <dl class="facts">
              <dt>Version</dt>
              <dd>
                {doc.version} <span class="muted">(ETag "{doc.version}")</span>
              </dd>
              <dt>Updated</dt>
              <dd>
                <Time iso={doc.updatedAt} />
              </dd>
              <dt>Expires</dt>
              <dd>
                {doc.expiresAt ? (
                  <>
                    <Time iso={doc.expiresAt} /> <span class="muted">({fromNow(doc.expiresAt)})</span>
                  </>
                ) : (
                  <span class="muted">never (no TTL)</span>
                )}
              </dd>
              <dt>Transaction</dt>
              <dd>
                {doc.heldBy ? (
                  <>
                    held by <code class="held-by">{doc.heldBy}</code>
                  </>
                ) : (
                  <span class="muted">none holds it</span>
                )}
              </dd>
            </dl>
          </section>
        </div>
      ) : null}
      {editable ? <EditForm {...p} draft={draft} base={base!} doc={doc} /> : null}
      <section class="card">
        <h2>History</h2>
        <p class="card-note">Kept versions, newest first.</p>
        {p.history.length === 0 ? (
          <Empty>No kept versions.</Empty>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th class="num">Version</th>
                  <th>Change</th>
                  <th>When</th>
                  <th class="wide-only">Document</th>
                </tr>
              </thead>
              <tbody>
                {p.history.map((h) => (
                  <tr class={h.version === p.latestVersion ? "current" : undefined}>
                    <td class="num">
                      {h.op === "delete" ? (
                        h.version
                      ) : (
                        <a href={`${entityHref(type, id)}?version=${h.version}`}>{h.version}</a>
                      )}
                    </td>
                    <td>{h.op}</td>
                    <td>
                      <Time iso={h.at} />
                    </td>
                    <td class="wide-only">
                      {h.body === null ? (
                        <span class="muted">deleted</span>
                      ) : (
                        <pre class="json short">{JSON.stringify(h.body)}</pre>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {p.historyCursor ? (
          <div class="pager">
            <a
              class="button secondary small"
              href={`${entityHref(type, id)}?historyCursor=${encodeURIComponent(p.historyCursor)}`}
            >
              Older versions →
            </a>
          </div>
        ) : null}
      </section>
    </>
  );
};

const HeldNotice: FC<{ transaction: string }> = ({ transaction }) => (
  <Notice kind="warn">
    <p>
      <strong>Held by transaction {transaction}.</strong> A transaction is changing this document together
      with others and has not been decided yet (normally a matter of milliseconds). What you see is the last
      committed version; a save waits for the verdict and is refused if it does not come within a second.
    </p>
  </Notice>
);

/** "in 59 min", for a time in the near future. */
function fromNow(iso: string): string {
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  if (!Number.isFinite(s)) return "";
  if (s <= 0) return "due now";
  if (s < 120) return `in ${s} s`;
  if (s < 7200) return `in ${Math.round(s / 60)} min`;
  if (s < 172_800) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} days`;
}

const EditForm: FC<{
  type: string;
  id: string;
  doc: EntityDoc;
  draft: string;
  base: number;
  csrf: string;
}> = ({ type, id, doc, draft, base, csrf }) => (
  <div class="grid side">
    <form class="card" method="post" action={`${entityHref(type, id)}/save`}>
      <h2>Edit</h2>
      <p class="card-note">
        Saved only if the document is still at version {base} (If-Match: "{base}"); if someone changed it
        meanwhile, you get a conflict instead of overwriting their change.
      </p>
      <Csrf token={csrf} />
      <input type="hidden" name="base" value={String(base)} />
      <div class="field">
        <textarea id="edit-body" name="body" class="code" spellcheck={false} aria-label="Document JSON">
          {draft}
        </textarea>
      </div>
      <div class="row">
        <div class="field">
          <label for="ttl-mode">Expiry</label>
          <select id="ttl-mode" name="ttlMode">
            <option value="keep" selected>
              {doc.expiresAt ? "Keep the current expiry" : "Keep: never expires"}
            </option>
            <option value="set">Expire after the seconds given →</option>
            <option value="clear">Never expire (remove the TTL)</option>
          </select>
        </div>
        <div class="field narrow">
          <label for="ttl">Seconds</label>
          <input id="ttl" name="ttl" inputmode="numeric" />
        </div>
      </div>
      <div class="form-actions">
        <button type="submit">Save as version {base + 1}</button>
        <button type="button" class="secondary" data-format="edit-body">
          Format JSON
        </button>
      </div>
    </form>
    <form
      class="card"
      method="post"
      action={`${entityHref(type, id)}/delete`}
      data-confirm={`Delete ${id}? Its history is kept.`}
    >
      <h2>Delete</h2>
      <p class="card-note">Also conditional: only if still at version {base}.</p>
      <Csrf token={csrf} />
      <input type="hidden" name="base" value={String(base)} />
      <button type="submit" class="danger">
        Delete this document
      </button>
    </form>
  </div>
);

const Outcome: FC<{ outcome?: SaveOutcome | undefined }> = ({ outcome }) => {
  if (!outcome) return null;
  switch (outcome.kind) {
    case "saved":
      return (
        <Notice>
          <p>Saved version {outcome.version}.</p>
        </Notice>
      );
    case "conflict":
      return (
        <Notice kind="warn">
          <p>
            <strong>Conflict: not saved.</strong> You edited version {outcome.yourBase}, but the document is
            now at version {outcome.current ?? "unknown"}: someone else changed it meanwhile. Your edit is
            kept below; the document shown is the current one. Compare them, then save again to replace
            version {outcome.current ?? "the current version"}.
          </p>
        </Notice>
      );
    case "invalid-json":
      return (
        <Notice kind="error">
          <p>
            <strong>Not saved:</strong> {outcome.message}.
          </p>
        </Notice>
      );
    case "problem":
      return <ProblemMessage problem={outcome.problem} heading="Not saved" />;
  }
};
