// State machine pages over /v1/machines: the list, one machine (diagram, start, versions, recent
// executions), delete, and the diagram image. The editor's pages are in definitions.tsx.
import type { Context, Hono } from "hono";
import { escapeXml } from "../../machine/graph/escape.ts";
import { type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import {
  type ExecutionSummary,
  executionHref,
  MachinePage,
  type MachineSummary,
  MachinesIndex,
  type MachineVersion,
} from "../pages/machines/machine-views";
import { SAMPLES } from "../pages/machines/samples";
import { parseTyped, type Typed } from "../typed-json";
import { type Api, crumbs, machineMissing, pretty, str, versionQuery } from "./machine-common";

export function machinePages(web: Hono<ConsoleEnv>, api: Api) {
  web.get("/console/machines", async (c) => {
    const reply = await api(c).request<{ items: MachineSummary[]; cursor: string | null }>(
      "GET",
      "/v1/machines",
      {
        query: { cursor: c.req.query("cursor"), limit: "100" },
      },
    );
    const deleted = c.req.query("deleted");
    return page(
      c,
      { title: "State machines", section: "machines", status: reply.ok ? 200 : reply.status },
      <MachinesIndex
        items={reply.ok ? reply.body.items : []}
        cursor={reply.ok ? reply.body.cursor : null}
        problem={reply.ok ? undefined : reply.problem}
        notice={deleted ? `Deleted ${deleted}.` : undefined}
      />,
    );
  });

  const machinePage = async (
    c: Context<ConsoleEnv>,
    extra: { startInput?: string; status?: number; problem?: ApiProblem; startProblem?: ApiProblem } = {},
  ) => {
    const name = c.req.param("name")!;
    const client = api(c);
    const [machine, executions] = await Promise.all([
      client.request<MachineVersion>("GET", `/v1/machines/${seg(name)}`, {
        query: { version: versionQuery(c) },
      }),
      client.request<{ items: ExecutionSummary[] }>("GET", `/v1/machines/${seg(name)}/executions`, {
        query: { limit: "10" },
      }),
    ]);
    if (!machine.ok) return machineMissing(c, name, machine.problem, machine.status);
    const saved = c.req.query("saved");
    const started =
      extra.startInput === undefined ? sampleInputFor(machine.body.definition) : extra.startInput;
    return page(
      c,
      { title: name, section: "machines", crumbs, status: extra.status ?? 200 },
      <MachinePage
        machine={machine.body}
        executions={executions.ok ? executions.body.items : []}
        executionsProblem={executions.ok ? undefined : executions.problem}
        csrf={c.get("csrf")}
        startInput={started}
        notice={saved ? `Saved version ${Number(saved)}.` : undefined}
        problem={extra.problem}
        startProblem={extra.startProblem}
      />,
    );
  };

  web.get("/console/machines/:name", (c) => machinePage(c));

  web.post("/console/machines/:name/delete", async (c) => {
    const name = c.req.param("name");
    const reply = await api(c).request("DELETE", `/v1/machines/${seg(name)}`);
    if (reply.ok) return c.redirect(`/console/machines?deleted=${encodeURIComponent(name)}`, 303);
    return machinePage(c, { status: reply.status, problem: reply.problem });
  });

  web.post("/console/machines/:name/start", async (c) => {
    const name = c.req.param("name");
    const form = await c.req.parseBody();
    const inputText = str(form.input);
    const executionName = str(form.name).trim();
    const input: Typed =
      inputText.trim() === "" ? { ok: true, value: {} } : parseTyped(inputText, "the input");
    if (!input.ok) {
      return machinePage(c, {
        startInput: inputText,
        status: 400,
        startProblem: { status: 400, title: "Invalid input", detail: input.detail },
      });
    }
    const reply = await api(c).request<{ name: string }>("POST", `/v1/machines/${seg(name)}/executions`, {
      body: { input: input.value, ...(executionName ? { name: executionName } : {}) },
    });
    if (reply.ok) return c.redirect(executionHref(name, reply.body.name), 303);
    return machinePage(c, { startInput: inputText, status: reply.status, startProblem: reply.problem });
  });

  web.get("/console/machines/:name/diagram.svg", async (c) => {
    const name = c.req.param("name");
    const res = await api(c).send("GET", `/v1/machines/${seg(name)}/diagram.svg`, {
      query: { version: c.req.query("version"), execution: c.req.query("execution") },
    });
    if (res.ok && (res.headers.get("Content-Type") ?? "").startsWith("image/svg+xml")) {
      return c.body(await res.text(), 200, { "Content-Type": "image/svg+xml", "Cache-Control": "no-store" });
    }
    const detail = await res
      .json()
      .then((p) => (p as { detail?: string }).detail)
      .catch(() => undefined);
    return c.body(messageSvg(`The diagram is unavailable: ${detail ?? res.statusText}`), res.status as 404, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "no-store",
    });
  });
}

/** The sample's input when the machine was made from a sample, else an empty object. */
function sampleInputFor(definition: unknown): string {
  const text = JSON.stringify(definition);
  const sample = SAMPLES.find((s) => JSON.stringify(s.definition) === text);
  return pretty(sample ? sample.input : {});
}

function messageSvg(message: string): string {
  const text = escapeXml(message.length > 120 ? `${message.slice(0, 117)}…` : message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="48" viewBox="0 0 640 48"><rect width="640" height="48" fill="#fce8e6"/><text x="16" y="29" font-family="system-ui, sans-serif" font-size="14" fill="#7a1712">${text}</text></svg>`;
}
