// Execution pages: lists with status filters, and one execution that refreshes itself while it runs.
import type { Context, Hono } from "hono";
import { type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
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
import { type Api, crumbs } from "./machine-common";

/** How often a running execution's page refreshes itself. */
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
    extra: { problem?: ApiProblem; status?: number } = {},
  ) => {
    const { name, execution } = c.req.param() as { name: string; execution: string };
    const path = `/v1/machines/${seg(name)}/executions/${seg(execution)}`;
    const client = api(c);
    const [described, history] = await Promise.all([
      client.request<Execution>("GET", path),
      client.request<{ events: HistoryEvent[]; cursor: string | null }>("GET", `${path}/history`, {
        query: { limit: "1000" },
      }),
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
    return page(
      c,
      {
        title: `${execution} · ${name}`,
        section: "machines",
        crumbs: pageCrumbs,
        status: extra.status ?? 200,
        // Only while it runs: a finished execution's page stays still.
        ...(running ? { bodyData: { poll: String(POLL_MS) } } : {}),
      },
      <ExecutionPage
        execution={described.body}
        events={history.ok ? history.body.events : []}
        moreEvents={history.ok && history.body.cursor !== null}
        csrf={c.get("csrf")}
        problem={extra.problem ?? (history.ok ? undefined : history.problem)}
      />,
    );
  };

  web.get("/console/machines/:name/executions/:execution", (c) => executionPage(c));

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
