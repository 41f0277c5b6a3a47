// API keys of the tenant: listed (never their secrets), issued (the secret shown once, on the page
// that answers the form, never in a URL), revoked.
import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, Notice, Outcome, ProblemMessage, Time } from "../../components";
import { Csrf } from "../../layout";

export const SCOPES = ["read", "write", "admin"] as const;

export interface KeySummary {
  id: string;
  tenant: string;
  scopes: string[];
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Just issued: the secret with what the key may do. */
export interface IssuedKey {
  id: string;
  key: string;
  tenant: string;
  name: string;
  scopes: string[];
}

export const KeysPage: FC<{
  tenant: string;
  /** The id of the key this console is signed in with (none for the root key). */
  currentKeyId: string | undefined;
  items: KeySummary[];
  cursor: string | null;
  csrf: string;
  problem?: ApiProblem | undefined;
  issueProblem?: ApiProblem | undefined;
  notice?: string | undefined;
  issued?: IssuedKey | undefined;
  draft?: { name: string; scopes: string[] } | undefined;
}> = (p) => (
  <>
    <div class="title-row">
      <h1>API keys</h1>
      <span class="muted">
        of tenant <strong>{p.tenant}</strong>
      </span>
    </div>
    {p.issued ? <IssuedNotice issued={p.issued} /> : null}
    <Outcome notice={p.notice} problem={p.problem} />
    <div class="grid side">
      <section class="card">
        <h2>Keys</h2>
        <p class="card-note">Stored only as a hash of the secret: a lost key cannot be shown again.</p>
        {p.items.length === 0 && !p.problem ? <Empty>No keys for this tenant yet.</Empty> : null}
        {p.items.length ? <KeyTable items={p.items} csrf={p.csrf} current={p.currentKeyId} /> : null}
        {p.cursor ? (
          <div class="pager">
            <a class="button secondary small" href={`/console/keys?cursor=${encodeURIComponent(p.cursor)}`}>
              Next page →
            </a>
          </div>
        ) : null}
      </section>
      <form class="card" method="post" action="/console/keys">
        <h2>Issue a key</h2>
        <Csrf token={p.csrf} />
        {p.issueProblem ? <ProblemMessage problem={p.issueProblem} heading="Not issued" /> : null}
        <div class="field">
          <label for="key-name">
            Name <span class="hint">what uses it, e.g. ci or billing-worker</span>
          </label>
          <input id="key-name" name="name" maxlength={128} value={p.draft?.name ?? ""} spellcheck={false} />
        </div>
        <fieldset class="field scopes">
          <legend>Scopes</legend>
          {SCOPES.map((scope) => (
            <label class="check">
              <input
                type="checkbox"
                name={`scope-${scope}`}
                value="on"
                checked={(p.draft?.scopes ?? ["read", "write"]).includes(scope)}
              />
              {scope} <span class="hint">{SCOPE_HINTS[scope]}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">Issue key</button>
      </form>
    </div>
  </>
);

const SCOPE_HINTS: Record<(typeof SCOPES)[number], string> = {
  read: "reads, and validating definitions",
  write: "every change",
  admin: "this tenant's keys",
};

const IssuedNotice: FC<{ issued: IssuedKey }> = ({ issued }) => (
  <Notice kind="warn">
    <p>
      <strong>Copy the key now: this is the only time it is shown.</strong> Key{" "}
      {issued.name ? <strong>{issued.name}</strong> : null} ({issued.scopes.join(", ")}) for tenant{" "}
      {issued.tenant}:
    </p>
    <pre class="json secret" id="issued-key">
      {issued.key}
    </pre>
    <p>
      <button type="button" class="secondary small" data-copy="issued-key">
        Copy to the clipboard
      </button>
    </p>
  </Notice>
);

const KeyTable: FC<{ items: KeySummary[]; csrf: string; current: string | undefined }> = ({
  items,
  csrf,
  current,
}) => (
  <div class="table-scroll">
    <table>
      <thead>
        <tr>
          <th>Key</th>
          <th>Scopes</th>
          <th class="wide-only">Created</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {items.map((k) => (
          <tr>
            <td>
              {k.name || <span class="muted">unnamed</span>}
              {k.id === current ? <span class="muted small"> (this console signed in with it)</span> : null}
              <div>
                <code class="small">{k.id}</code>
              </div>
            </td>
            <td>{k.scopes.join(", ")}</td>
            <td class="wide-only">
              <Time iso={k.createdAt} />
            </td>
            <td>
              {k.revokedAt ? (
                <span class="muted">
                  revoked <Time iso={k.revokedAt} />
                </span>
              ) : (
                <form
                  method="post"
                  action="/console/keys/revoke"
                  class="inline"
                  data-confirm={
                    k.id === current
                      ? "Revoke the key you are signed in with? The console signs you out."
                      : `Revoke the key ${k.name || k.id}? Requests with it are refused from now on.`
                  }
                >
                  <Csrf token={csrf} />
                  <input type="hidden" name="id" value={k.id} />
                  <button type="submit" class="danger small">
                    Revoke
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
