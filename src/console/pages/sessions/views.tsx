import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, JsonBlock, Notice, Outcome, ProblemMessage, Time } from "../../components";
import { Csrf } from "../../layout";

export interface Session {
  id: string;
  subject: string | null;
  data: Record<string, unknown>;
  version: number;
  createdAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
}

export interface SubjectSession {
  id: string;
  createdAt: string;
  expiresAt: string;
}

export const subjectHref = (subject: string) => `/console/subjects/${encodeURIComponent(subject)}`;

/** A session id is a bearer secret: it travels in form bodies, never in a URL (history, logs). */
const OpenSession: FC<{ id: string; csrf: string; label?: string }> = ({ id, csrf, label }) => (
  <form method="post" action="/console/sessions/lookup" class="inline">
    <Csrf token={csrf} />
    <input type="hidden" name="id" value={id} />
    <button type="submit" class="secondary small">
      {label ?? "Open"}
    </button>
  </form>
);

const RevokeSession: FC<{ id: string; csrf: string; subject?: string | null }> = ({ id, csrf, subject }) => (
  <form
    method="post"
    action="/console/sessions/revoke"
    class="inline"
    data-confirm="Revoke this session now?"
  >
    <Csrf token={csrf} />
    <input type="hidden" name="id" value={id} />
    {subject ? <input type="hidden" name="subject" value={subject} /> : null}
    <button type="submit" class="danger small">
      Revoke
    </button>
  </form>
);

const shortId = (id: string) => (id.length > 22 ? `${id.slice(0, 14)}…${id.slice(-6)}` : id);

export const SessionsIndex: FC<{
  csrf: string;
  problem?: ApiProblem | undefined;
  notice?: string | undefined;
  lookupProblem?: ApiProblem | undefined;
  created?: Session | undefined;
}> = ({ csrf, problem, notice, lookupProblem, created }) => (
  <>
    <h1>Sessions</h1>
    <p class="lead">Sliding-expiry user sessions; revocation takes effect at once, everywhere.</p>
    <Outcome notice={notice} problem={problem} />
    {created ? (
      <Notice>
        <p>
          Started session <code>{created.id}</code>
          {created.subject ? ` for ${created.subject}` : ""}; it expires <Time iso={created.expiresAt} />.
        </p>
      </Notice>
    ) : null}
    <div class="grid two">
      <form class="card" method="post" action="/console/sessions/lookup">
        <h2>Look up a session</h2>
        <p class="card-note">
          Reads it from its object. Like any API read, this slides a sliding session's expiry.
        </p>
        <Csrf token={csrf} />
        {lookupProblem ? <ProblemMessage problem={lookupProblem} /> : null}
        <div class="row">
          <div class="field">
            <label for="session-id">Session id</label>
            <input
              id="session-id"
              name="id"
              required
              placeholder="ses_…"
              spellcheck={false}
              autocomplete="off"
            />
          </div>
          <button type="submit">Look up</button>
        </div>
      </form>
      <form class="card" method="get" action="/console/sessions">
        <h2>A subject's sessions</h2>
        <p class="card-note">Every live session of one user, to revoke one or all of them.</p>
        <div class="row">
          <div class="field">
            <label for="subject">Subject</label>
            <input id="subject" name="subject" required placeholder="user-123" spellcheck={false} />
          </div>
          <button type="submit">Show</button>
        </div>
      </form>
    </div>
    <form class="card" method="post" action="/console/sessions/new">
      <h2>Start a session</h2>
      <p class="card-note">For trying things out; applications start sessions with POST /v1/sessions.</p>
      <Csrf token={csrf} />
      <div class="row">
        <div class="field">
          <label for="new-subject">
            Subject <span class="hint">optional</span>
          </label>
          <input id="new-subject" name="subject" spellcheck={false} />
        </div>
        <div class="field narrow">
          <label for="new-ttl">Idle TTL (s)</label>
          <input id="new-ttl" name="ttl" inputmode="numeric" value="3600" />
        </div>
        <div class="field">
          <label for="new-data">
            Data <span class="hint">JSON object</span>
          </label>
          <input id="new-data" name="data" value="{}" spellcheck={false} class="mono" />
        </div>
        <button type="submit" class="secondary">
          Start
        </button>
      </div>
    </form>
  </>
);

export const SessionPage: FC<{ session: Session; csrf: string }> = ({ session, csrf }) => (
  <>
    <div class="title-row">
      <h1>Session</h1>
      <code>{shortId(session.id)}</code>
      <div class="actions">
        <RevokeSession id={session.id} csrf={csrf} subject={session.subject} />
      </div>
    </div>
    <div class="grid side">
      <section class="card">
        <h2>Data</h2>
        <JsonBlock value={session.data} />
      </section>
      <section class="card">
        <h2>Facts</h2>
        <dl class="facts">
          <dt>Id</dt>
          <dd>
            <code>{session.id}</code>
          </dd>
          <dt>Subject</dt>
          <dd>
            {session.subject ? (
              <a href={subjectHref(session.subject)}>{session.subject}</a>
            ) : (
              <span class="muted">none</span>
            )}
          </dd>
          <dt>Version</dt>
          <dd>{session.version}</dd>
          <dt>Started</dt>
          <dd>
            <Time iso={session.createdAt} />
          </dd>
          <dt>Expires</dt>
          <dd>
            <Time iso={session.expiresAt} />
          </dd>
          <dt>Ends at the latest</dt>
          <dd>
            <Time iso={session.absoluteExpiresAt} />
          </dd>
        </dl>
      </section>
    </div>
  </>
);

export const SubjectPage: FC<{
  subject: string;
  items: SubjectSession[];
  csrf: string;
  problem?: ApiProblem | undefined;
  notice?: string | undefined;
}> = ({ subject, items, csrf, problem, notice }) => (
  <>
    <div class="title-row">
      <h1>{subject}</h1>
      <span class="muted">subject</span>
      {items.length ? (
        <div class="actions">
          <form
            method="post"
            action={`${subjectHref(subject)}/revoke`}
            data-confirm={`Revoke all ${items.length} sessions of ${subject}?`}
          >
            <Csrf token={csrf} />
            <button type="submit" class="danger">
              Revoke all ({items.length})
            </button>
          </form>
        </div>
      ) : null}
    </div>
    <Outcome notice={notice} problem={problem} />
    <section class="card">
      <h2>Live sessions</h2>
      {items.length === 0 && !problem ? (
        <Empty>No live sessions.</Empty>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Session</th>
                <th>Started</th>
                <th>Expires</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr>
                  <td>
                    <code title={s.id}>{shortId(s.id)}</code>
                  </td>
                  <td>
                    <Time iso={s.createdAt} />
                  </td>
                  <td>
                    <Time iso={s.expiresAt} />
                  </td>
                  <td class="num">
                    <OpenSession id={s.id} csrf={csrf} />{" "}
                    <RevokeSession id={s.id} csrf={csrf} subject={subject} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  </>
);
