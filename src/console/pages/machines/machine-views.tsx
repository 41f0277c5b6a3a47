import type { FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { Empty, JsonBlock, Outcome, ProblemMessage, StatusBadge, Time } from "../../components";
import { Csrf } from "../../layout";

export const machineHref = (name: string) => `/console/machines/${encodeURIComponent(name)}`;
export const executionHref = (machine: string, execution: string) =>
  `${machineHref(machine)}/executions/${encodeURIComponent(execution)}`;

export interface MachineSummary {
  name: string;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface MachineVersion {
  name: string;
  version: number;
  createdAt: string;
  latestVersion: number;
  definition: unknown;
  versions: { version: number; createdAt: string }[];
}

export interface ExecutionSummary {
  name: string;
  status: string;
  machineVersion: number;
  startedAt: string;
  stoppedAt: string | null;
}

export const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const;

export const MachinesIndex: FC<{
  items: MachineSummary[];
  cursor: string | null;
  problem?: ApiProblem | undefined;
  notice?: string | undefined;
}> = ({ items, cursor, problem, notice }) => (
  <>
    <div class="title-row">
      <h1>State machines</h1>
      <div class="actions">
        <a class="button" href="/console/machines/~new">
          New machine
        </a>
      </div>
    </div>
    <Outcome notice={notice} problem={problem} />
    <section class="card">
      {items.length === 0 && !problem ? (
        <Empty>
          No state machines yet. <a href="/console/machines/~new">Create one from a sample</a>.
        </Empty>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th class="num">Latest version</th>
                <th class="wide-only">Created</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr>
                  <td>
                    <a href={machineHref(m.name)}>{m.name}</a>
                  </td>
                  <td class="num">{m.latestVersion}</td>
                  <td class="wide-only">
                    <Time iso={m.createdAt} />
                  </td>
                  <td>
                    <Time iso={m.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor ? (
        <div class="pager">
          <a class="button secondary small" href={`/console/machines?cursor=${encodeURIComponent(cursor)}`}>
            Next page →
          </a>
        </div>
      ) : null}
    </section>
  </>
);

export const MachinePage: FC<{
  machine: MachineVersion;
  executions: ExecutionSummary[];
  executionsProblem?: ApiProblem | undefined;
  csrf: string;
  startInput: string;
  notice?: string | undefined;
  problem?: ApiProblem | undefined;
  startProblem?: ApiProblem | undefined;
}> = (p) => {
  const m = p.machine;
  const href = machineHref(m.name);
  const isLatest = m.version === m.latestVersion;
  return (
    <>
      <div class="title-row">
        <h1>{m.name}</h1>
        <span class="badge">
          version {m.version}
          {isLatest ? " (latest)" : ` of ${m.latestVersion}`}
        </span>
        <div class="actions">
          <a class="button" href={`${href}/edit${isLatest ? "" : `?version=${m.version}`}`}>
            {isLatest ? "Edit definition" : `Edit from v${m.version}`}
          </a>
          <a class="button secondary" href={`${href}/executions`}>
            All executions
          </a>
          <form method="post" action={`${href}/delete`} data-confirm={`Delete the state machine ${m.name}?`}>
            <Csrf token={p.csrf} />
            <button type="submit" class="danger">
              Delete
            </button>
          </form>
        </div>
      </div>
      <Outcome notice={p.notice} problem={p.problem} />
      <div class="grid side">
        <section class="card">
          <h2>Diagram</h2>
          <div class="diagram">
            <img
              src={`${href}/diagram.svg?version=${m.version}`}
              alt={`Diagram of ${m.name} version ${m.version}`}
            />
          </div>
        </section>
        <div class="stack">
          <form class="card" method="post" action={`${href}/start`}>
            <h2>Start an execution</h2>
            <p class="card-note">Runs the latest version (v{m.latestVersion}).</p>
            <Csrf token={p.csrf} />
            {p.startProblem ? <ProblemMessage problem={p.startProblem} heading="Not started" /> : null}
            <div class="field">
              <label for="input">Input (JSON)</label>
              <textarea id="input" name="input" class="code" spellcheck={false}>
                {p.startInput}
              </textarea>
            </div>
            <div class="field">
              <label for="execution-name">
                Name <span class="hint">optional; a UUID otherwise</span>
              </label>
              <input id="execution-name" name="name" spellcheck={false} />
            </div>
            <button type="submit">Start execution</button>
          </form>
          <section class="card">
            <h2>Versions</h2>
            <div class="table-scroll">
              <table>
                <tbody>
                  {[...m.versions].reverse().map((v) => (
                    <tr class={v.version === m.version ? "current" : undefined}>
                      <td>
                        <a href={`${href}?version=${v.version}`}>v{v.version}</a>
                        {v.version === m.latestVersion ? <span class="muted small"> latest</span> : null}
                      </td>
                      <td>
                        <Time iso={v.createdAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      </div>
      <section class="card">
        <h2>
          Recent executions
          <a class="small" href={`${href}/executions`}>
            all
          </a>
        </h2>
        {p.executionsProblem ? <ProblemMessage problem={p.executionsProblem} /> : null}
        <ExecutionTable machine={m.name} items={p.executions} />
      </section>
      <details class="card definition">
        <summary>
          <h2>Definition (JSON) of version {m.version}</h2>
        </summary>
        <JsonBlock value={m.definition} />
      </details>
    </>
  );
};

export const ExecutionTable: FC<{ machine: string; items: ExecutionSummary[] }> = ({ machine, items }) =>
  items.length === 0 ? (
    <Empty>No executions yet.</Empty>
  ) : (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th>Execution</th>
            <th>Status</th>
            <th class="num wide-only">Version</th>
            <th>Started</th>
            <th class="wide-only">Stopped</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr>
              <td>
                <a href={executionHref(machine, e.name)}>{e.name}</a>
              </td>
              <td>
                <StatusBadge status={e.status} />
              </td>
              <td class="num wide-only">{e.machineVersion}</td>
              <td>
                <Time iso={e.startedAt} />
              </td>
              <td class="wide-only">
                <Time iso={e.stoppedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

/** A machine or execution that cannot be shown: the reason, and a way back. */
export const MachineProblem: FC<{ problem: ApiProblem }> = ({ problem }) => (
  <div class="alert error" role="alert">
    <p>
      <strong>{problem.title}</strong>: {problem.detail}
    </p>
    <p>
      <a href="/console/machines">Back to the state machines</a>
    </p>
  </div>
);
