// Execution pages: lists with status filters, and one execution that refreshes itself while it runs:
// the page watches the execution (Server-Sent Events, passed through from the API's watch route)
// and redraws when an event commits; a browser without EventSource, or a watch that fails, polls.
import type { Context, Hono } from "hono";
import { type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import { type CallbackDraft, type WaitingTask, WaitingTasks } from "../pages/machines/callback-views";
import {
  type Execution,
  ExecutionPage,
  ExecutionsPage,
  type HistoryEvent,
} from "../pages/machines/execution-views";
import {
  type ExecutionSummary,
  executionHref,
  MachineProblem,
  machineHref,
  STATUSES,
} from "../pages/machines/machine-views";
import { parseTyped } from "../typed-json";
import { type Api, crumbs } from "./machine-common";

const text = (v: unknown) => (typeof v === "string" ? v : "");
/** How often a running execution's page refreshes itself when it cannot watch. */
const POLL_MS = 1500;

export function executionPages(web: Hono<ConsoleEnv>, api: Api) {
  web.get("/console/machines/:name/executions", async (c) => {
    const name = c.req.param("name");
    const wanted = c.req.query("status") ?? "";
    const status = (STATUSES as readonly string[]).includes(wanted) ? wanted : "";
    const reply = await api(c).request<{ items: ExecutionSummary[]; cursor: string | null }>(
      "GET",
      `/v1/machines/${seg(name)}/executions`,
      { query: { status, cursor: c.req.query("cursor"), limit: "50" } },
    );
    return page(
      c,
      {
        title: `Executions · ${name}`,
        section: "machines",
        crumbs: [...crumbs, { href: machineHref(name), label: name }],
        status: reply.ok ? 200 : reply.status,
      },
      <ExecutionsPage
        machine={name}
        status={status}
        items={reply.ok ? reply.body.items : []}
        cursor={reply.ok ? reply.body.cursor : null}
        problem={reply.ok ? undefined : reply.problem}
      />,
    );
  });

  const executionPage = async (
    c: Context<ConsoleEnv>,
    extra: {
      problem?: ApiProblem;
      status?: number;
      callbackProblem?: ApiProblem;
      draft?: CallbackDraft;
    } = {},
  ) => {
    const { name, execution } = c.req.param() as { name: string; execution: string };
    const path = `/v1/machines/${seg(name)}/executions/${seg(execution)}`;
    const client = api(c);
    const [described, history, tasks] = await Promise.all([
      client.request<Execution>("GET", path),
      client.request<{ events: HistoryEvent[]; cursor: string | null }>("GET", `${path}/history`, {
        query: { limit: "1000" },
      }),
      client.request<{ items: WaitingTask[] }>("GET", `${path}/tasks`),
    ]);
    const pageCrumbs = [
      ...crumbs,
      { href: machineHref(name), label: name },
      { href: `${machineHref(name)}/executions`, label: "Executions" },
    ];
    if (!described.ok) {
      return page(
        c,
        { title: execution, section: "machines", crumbs: pageCrumbs, status: described.status },
        <>
          <h1>{execution}</h1>
          <MachineProblem problem={described.problem} />
        </>,
      );
    }
    const running = described.body.status === "RUNNING";
    const events = history.ok ? history.body.events : [];
    const watch = `${executionHref(name, execution)}/events?since=${events.at(-1)?.id ?? 0}`;
    return page(
      c,
      {
        title: `${execution} · ${name}`,
        section: "machines",
        crumbs: pageCrumbs,
        status: extra.status ?? 200,
        // Only while it runs: a finished execution's page stays still.
        ...(running ? { bodyData: { watch, poll: String(POLL_MS) } } : {}),
      },
      <ExecutionPage
        execution={described.body}
        events={events}
        moreEvents={history.ok && history.body.cursor !== null}
        csrf={c.get("csrf")}
        problem={
          extra.problem ??
          (running ? undefined : extra.callbackProblem) ??
          (history.ok ? undefined : history.problem)
        }
        waiting={
          running ? (
            <WaitingTasks
              action={`${executionHref(name, execution)}/callback`}
              tasks={tasks.ok ? tasks.body.items : []}
              csrf={c.get("csrf")}
              problem={extra.callbackProblem ?? (tasks.ok ? undefined : tasks.problem)}
              draft={extra.draft}
            />
          ) : null
        }
      />,
    );
  };

  web.get("/console/machines/:name/executions/:execution", (c) => executionPage(c));

  // Finishes a `.waitForTaskToken` task as its token holder would. The form names the task; its
  // token is read from the API here, so a page never has to carry it.
  web.post("/console/machines/:name/executions/:execution/callback", async (c) => {
    const { name, execution } = c.req.param();
    const form = await c.req.parseBody();
    const draft: CallbackDraft = {
      taskId: text(form.task),
      output: text(form.output),
      error: text(form.error).trim(),
      cause: text(form.cause),
    };
    const refuse = (callbackProblem: ApiProblem) =>
      executionPage(c, { callbackProblem, draft, status: callbackProblem.status });
    const client = api(c);
    const tasks = await client.request<{ items: WaitingTask[] }>(
      "GET",
      `/v1/machines/${seg(name)}/executions/${seg(execution)}/tasks`,
    );
    if (!tasks.ok) return refuse(tasks.problem);
    const token = tasks.body.items.find((t) => t.taskId === draft.taskId)?.taskToken;
    if (!token) {
      return refuse({
        status: 409,
        title: "Not waiting",
        detail: "this task is no longer waiting for a callback",
      });
    }
    let body: Record<string, unknown>;
    if (text(form.outcome) === "failure") {
      body = { taskToken: token, error: draft.error, ...(draft.cause ? { cause: draft.cause } : {}) };
    } else {
      const output =
        draft.output.trim() === ""
          ? { ok: true as const, value: null }
          : parseTyped(draft.output, "the output");
      if (!output.ok) return refuse({ status: 400, title: "Invalid output", detail: output.detail });
      body = { taskToken: token, output: output.value };
    }
    const outcome = text(form.outcome) === "failure" ? "failure" : "success";
    const reply = await client.request("POST", `/v1/callbacks/${outcome}`, { body });
    if (!reply.ok) return refuse(reply.problem);
    return c.redirect(executionHref(name, execution), 303);
  });

  // The page's EventSource: the API's watch, asked for in-process with the signed-in key and
  // streamed through as it is (a refusal keeps its status, and the script falls back to polling).
  web.get("/console/machines/:name/executions/:execution/events", async (c) => {
    const { name, execution } = c.req.param();
    const lastEventId = c.req.header("Last-Event-ID");
    const res = await api(c).send("GET", `/v1/machines/${seg(name)}/executions/${seg(execution)}/watch`, {
      headers: { Accept: "text/event-stream", ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}) },
      query: { since: c.req.query("since") },
    });
    if (res.status !== 200) return new Response(null, { status: res.status });
    return new Response(res.body, { headers: res.headers });
  });

  web.post("/console/machines/:name/executions/:execution/stop", async (c) => {
    const { name, execution } = c.req.param();
    const reply = await api(c).request(
      "POST",
      `/v1/machines/${seg(name)}/executions/${seg(execution)}/stop`,
      { body: { error: "Console.Stopped", cause: "stopped from the console" } },
    );
    if (reply.ok) return c.redirect(executionHref(name, execution), 303);
    return executionPage(c, { problem: reply.problem, status: reply.status });
  });
}
