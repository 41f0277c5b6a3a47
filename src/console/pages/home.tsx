// The console's first page: how much the tenant holds, and what ran last.
import type { FC } from "hono/jsx";
import type { ApiProblem } from "../api-client";
import { Empty, ProblemMessage, StatusBadge, Time } from "../components";
import { executionHref, machineHref } from "./machines/machine-views";

/** A count read from one list page: `more` when the page had a cursor (so at least `n`). */
export interface Count {
  n: number;
  more: boolean;
}

export interface RecentExecution {
  machine: string;
  name: string;
  status: string;
  machineVersion: number;
  startedAt: string;
  stoppedAt: string | null;
}

export interface HomeData {
  tenant: string;
  machines?: Count | undefined;
  running?: Count | undefined;
  entityTypes?: Count | undefined;
  keys?: Count | undefined;
  recent: RecentExecution[];
  recentProblem?: ApiProblem | undefined;
}

const shown = (count: Count | undefined) =>
  count === undefined ? "—" : `${count.n}${count.more ? "+" : ""}`;

const Stat: FC<{ href: string; label: string; count: Count | undefined; note: string }> = (p) => (
  <a class="stat card" href={p.href}>
    <span class="stat-value">{shown(p.count)}</span>
    <span class="stat-label">{p.label}</span>
    <span class="muted small">{p.count === undefined ? "not available to this key" : p.note}</span>
  </a>
);

export const HomePage: FC<HomeData> = (d) => (
  <>
    <h1>Console</h1>
    <p class="lead">
      Tenant <strong>{d.tenant}</strong>. Everything here is a call to the same <code>/v1</code> API your
      applications use.
    </p>
    <div class="stats">
      <Stat
        href="/console/machines"
        label="state machines"
        count={d.machines}
        note="definitions and versions"
      />
      <Stat
        href="/console/machines"
        label="running executions"
        count={d.running}
        note="across every machine"
      />
      <Stat href="/console/entities" label="entity types" count={d.entityTypes} note="with live documents" />
      <Stat href="/console/keys" label="API keys" count={d.keys} note="active, for this tenant" />
    </div>
    <section class="card">
      <h2>Recent executions</h2>
      <p class="card-note">
        Newest first, across every state machine (from the listing index: a start shows within seconds).
      </p>
      {d.recentProblem ? <ProblemMessage problem={d.recentProblem} /> : null}
      {d.recent.length === 0 && !d.recentProblem ? (
        <Empty>
          No executions yet. <a href="/console/machines/~new">Create a machine from a sample</a> and start
          one.
        </Empty>
      ) : null}
      {d.recent.length ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Execution</th>
                <th class="wide-only">Machine</th>
                <th>Status</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {d.recent.map((e) => (
                <tr>
                  <td>
                    <a href={executionHref(e.machine, e.name)}>{e.name}</a>
                  </td>
                  <td class="wide-only">
                    <a href={machineHref(e.machine)}>{e.machine}</a>{" "}
                    <span class="muted small">v{e.machineVersion}</span>
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td>
                    <Time iso={e.startedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
    <div class="cards">
      <section class="card">
        <h2>
          <a href="/console/machines">State machines</a>
        </h2>
        <p class="muted">
          Amazon States Language workflows: edit definitions with live validation, see their diagrams, start
          executions and follow them state by state.
        </p>
      </section>
      <section class="card">
        <h2>
          <a href="/console/entities">Entities</a>
        </h2>
        <p class="muted">
          Browse a type, open a document with its version, expiry and history, and edit it with a conditional
          write.
        </p>
      </section>
      <section class="card">
        <h2>
          <a href="/console/sessions">Sessions</a>
        </h2>
        <p class="muted">
          Look up a session or everything a subject is signed in with; revoke one or all of them.
        </p>
      </section>
    </div>
  </>
);
