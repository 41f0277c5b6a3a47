import type { FC } from "hono/jsx";

export const HomePage: FC<{ tenant: string }> = ({ tenant }) => (
  <>
    <h1>Console</h1>
    <p class="lead">
      Tenant <strong>{tenant}</strong>. Everything here is a call to the same <code>/v1</code> API your
      applications use.
    </p>
    <div class="cards">
      <section class="card">
        <h2>
          <a href="/console/machines">State machines</a>
        </h2>
        <p class="muted">
          Amazon States Language workflows: edit definitions with live validation, see their diagrams, start
          executions and follow them state by state.
        </p>
        <a class="button secondary small" href="/console/machines">
          Open machines
        </a>
      </section>
      <section class="card">
        <h2>
          <a href="/console/entities">Entities</a>
        </h2>
        <p class="muted">
          Browse a type, open a document with its version, expiry and history, and edit it with a conditional
          write.
        </p>
        <a class="button secondary small" href="/console/entities">
          Open entities
        </a>
      </section>
      <section class="card">
        <h2>
          <a href="/console/sessions">Sessions</a>
        </h2>
        <p class="muted">
          Look up a session or everything a subject is signed in with; revoke one or all of them.
        </p>
        <a class="button secondary small" href="/console/sessions">
          Open sessions
        </a>
      </section>
    </div>
  </>
);
