import type { Child, FC } from "hono/jsx";
import type { ApiProblem } from "../../api-client";
import { JsonBlock, ProblemMessage, StatusBadge, Time } from "../../components";
import { Csrf } from "../../layout";
import { EventDetails } from "./event-details";
import { type ExecutionSummary, ExecutionTable, executionHref, machineHref, STATUSES } from "./machine-views";

export const ExecutionsPage: FC<{
  machine: string;
  status: string;
  items: ExecutionSummary[];
  cursor: string | null;
  problem?: ApiProblem | undefined;
}> = ({ machine, status, items, cursor, problem }) => {
  const base = `${machineHref(machine)}/executions`;
  return (
    <>
      <div class="title-row">
        <h1>Executions</h1>
        <span class="muted">
          of <a href={machineHref(machine)}>{machine}</a>
        </span>
      </div>
      <nav class="filters" aria-label="Status filter">
        <a href={base} class={status === "" ? "active" : undefined}>
          All
        </a>
        {STATUSES.map((s) => (
          <a href={`${base}?status=${s}`} class={s === status ? "active" : undefined}>
            {s.replace("_", " ").toLowerCase()}
          </a>
        ))}
      </nav>
      {problem ? <ProblemMessage problem={problem} /> : null}
      <section class="card">
        <ExecutionTable machine={machine} items={items} />
        {cursor ? (
          <div class="pager">
            <a
              class="button secondary small"
              href={`${base}?${new URLSearchParams({ ...(status ? { status } : {}), cursor })}`}
            >
              Older →
            </a>
          </div>
        ) : null}
      </section>
    </>
  );
};

export interface Execution {
  name: string;
  machine: string;
  machineVersion: number;
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  startedAt: string;
  stoppedAt: string | null;
  currentStates: string[];
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  details: Record<string, unknown>;
}

export const ExecutionPage: FC<{
  execution: Execution;
  events: HistoryEvent[];
  moreEvents: boolean;
  csrf: string;
  problem?: ApiProblem | undefined;
  /** What the execution waits on, with a way to finish each callback task. */
  waiting?: Child;
}> = ({ execution: e, events, moreEvents, csrf, problem, waiting }) => {
  const running = e.status === "RUNNING";
  const href = executionHref(e.machine, e.name);
  return (
    <div id="live">
      <div class="title-row">
        <h1>{e.name}</h1>
        <StatusBadge status={e.status} />
        {running ? (
          <span class="muted small">
            <span class="live-dot" aria-hidden="true"></span>updating live
          </span>
        ) : null}
        <div class="actions">
          {running ? (
            <form
              method="post"
              action={`${href}/stop`}
              data-confirm="Stop this execution? It ends as ABORTED."
            >
              <Csrf token={csrf} />
              <button type="submit" class="danger">
                Stop
              </button>
            </form>
          ) : null}
        </div>
      </div>
      {problem ? <ProblemMessage problem={problem} /> : null}
      {waiting}
      <div class="grid side">
        <section class="card">
          <h2>Diagram</h2>
          <div class="diagram">
            <img
              src={`${machineHref(e.machine)}/diagram.svg?execution=${encodeURIComponent(e.name)}&events=${events.length}&status=${e.status}`}
              alt={`Diagram of ${e.machine} coloured by the progress of ${e.name}`}
            />
          </div>
        </section>
        <section class="card">
          <h2>Facts</h2>
          <dl class="facts">
            <dt>Machine</dt>
            <dd>
              <a href={`${machineHref(e.machine)}?version=${e.machineVersion}`}>
                {e.machine} v{e.machineVersion}
              </a>
            </dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={e.status} />
            </dd>
            <dt>Started</dt>
            <dd>
              <Time iso={e.startedAt} />
            </dd>
            <dt>Stopped</dt>
            <dd>
              <Time iso={e.stoppedAt} />
            </dd>
            <dt>Duration</dt>
            <dd>{duration(e.startedAt, e.stoppedAt)}</dd>
            {running ? (
              <>
                <dt>Now in</dt>
                <dd>{e.currentStates.length ? e.currentStates.join(", ") : "—"}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>
      {e.error !== null || e.cause !== null ? (
        <div class="alert error" role="alert">
          <p>
            <strong>{e.error ?? "Error"}</strong>
            {e.cause ? `: ${e.cause}` : ""}
          </p>
        </div>
      ) : null}
      <div class="grid two">
        <section class="card">
          <h2>Input</h2>
          <JsonBlock value={e.input} />
        </section>
        <section class="card">
          <h2>Output</h2>
          {e.status === "SUCCEEDED" ? (
            <JsonBlock value={e.output} />
          ) : (
            <p class="muted">
              {running
                ? "Not finished yet."
                : `No output: the execution ${e.status.toLowerCase().replace("_", " ")}.`}
            </p>
          )}
        </section>
      </div>
      <section class="card">
        <h2>Event history</h2>
        <p class="card-note">
          {events.length} event{events.length === 1 ? "" : "s"}
          {moreEvents ? " (the first page; more exist)" : ""}, oldest first, with Step Functions' event names;
          times in UTC.
        </p>
        <ol class="timeline">
          {events.map((ev) => (
            <li>
              <span class="id">{ev.id}</span>
              <time datetime={ev.timestamp} title={ev.timestamp}>
                {ev.timestamp.slice(11, 23)}
              </time>
              <span class="offset" title={ev.timestamp}>
                {offset(e.startedAt, ev.timestamp)}
              </span>
              <div>
                <span class={`type ${tone(ev.type)}`}>{ev.type}</span>
                {stateNameOf(ev) ? <span class="muted"> · {stateNameOf(ev)}</span> : null}
                {Object.keys(ev.details).length ? (
                  <details>
                    <summary>details</summary>
                    <EventDetails details={ev.details} />
                  </details>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
};

/** Time since the execution started, as the timeline's second column. */
function offset(start: string, at: string): string {
  const ms = Date.parse(at) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return "";
  return ms < 1000 ? `+${ms} ms` : `+${(ms / 1000).toFixed(1)} s`;
}

function tone(type: string): string {
  if (/(Failed|TimedOut|Aborted)$/.test(type)) return "bad";
  if (/Succeeded$/.test(type)) return "good";
  return "";
}

function stateNameOf(ev: HistoryEvent): string | undefined {
  const name = ev.details.name;
  return typeof name === "string" ? name : undefined;
}

function duration(start: string, stop: string | null): string {
  const ms = (stop ? Date.parse(stop) : Date.now()) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
