// State machine and execution pages over /v1/machines and /v1/definitions/validate.
import type { Context, Hono } from "hono";
import { escapeXml } from "../../machine/graph/escape.ts";
import { renderDiagram } from "../../machine/graph/index.ts";
import { type ApiClient, type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import type { Diagnostic } from "../pages/machines/editor";
import {
  type ExecutionSummary,
  executionHref,
  MachinePage,
  MachineProblem,
  type MachineSummary,
  MachinesIndex,
  type MachineVersion,
  machineHref,
  NewMachinePage,
} from "../pages/machines/machine-views";
import { SAMPLES, sampleById } from "../pages/machines/samples";
import { parseTyped, type Typed } from "../typed-json";
import { executionPages } from "./executions";

type Api = (c: Context<ConsoleEnv>) => ApiClient;
const str = (v: unknown) => (typeof v === "string" ? v : "");
const crumbs = [{ href: "/console/machines", label: "State machines" }];
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

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

  const newPage = (
    c: Context<ConsoleEnv>,
    form: { name: string; text: string; sample: string },
    extra: { status?: number; problem?: ApiProblem; diagnostics?: Diagnostic[] } = {},
  ) =>
    page(
      c,
      { title: "New state machine", section: "machines", crumbs, status: extra.status ?? 200 },
      <NewMachinePage
        csrf={c.get("csrf")}
        {...form}
        problem={extra.problem}
        diagnostics={extra.diagnostics}
      />,
    );

  // "~" cannot occur in a machine name, so this page can never shadow a machine's.
  web.get("/console/machines/~new", (c) => {
    const sample = sampleById(c.req.query("sample")) ?? SAMPLES[0]!;
    return newPage(c, { name: sample.id, text: pretty(sample.definition), sample: sample.id });
  });

  web.post("/console/machines/~new", async (c) => {
    const form = await c.req.parseBody();
    const name = str(form.name).trim();
    const text = str(form.definition);
    const client = api(c);
    // "New" must not silently add a version to a machine that already has the name.
    const existing = await client.request("GET", `/v1/machines/${seg(name)}`);
    if (existing.ok) {
      const problem = {
        status: 409,
        title: "Name taken",
        detail: `a state machine named ${name} already exists; open it to add a version`,
      };
      return newPage(c, { name, text, sample: "" }, { status: 409, problem });
    }
    const saved = await client.request<{ version: number }>("PUT", `/v1/machines/${seg(name)}`, {
      raw: text,
    });
    if (saved.ok) return c.redirect(`${machineHref(name)}?saved=${saved.body.version}`, 303);
    return newPage(
      c,
      { name, text, sample: "" },
      { status: saved.status, problem: saved.problem, diagnostics: asDiagnostics(saved.problem) },
    );
  });

  // Live validation for the editor: the API's own validator, plus a preview of the unsaved text
  // drawn by the same renderer as GET /v1/machines/{name}/diagram.svg.
  web.post("/console/machines/validate", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { definition?: unknown };
    const text = typeof body.definition === "string" ? body.definition : "";
    const reply = await api(c).request<{ valid: boolean; diagnostics: Diagnostic[] }>(
      "POST",
      "/v1/definitions/validate",
      { raw: text },
    );
    if (!reply.ok && reply.status !== 400) {
      return c.json({ problem: { title: reply.problem.title, detail: reply.problem.detail } });
    }
    const verdict = reply.ok
      ? reply.body
      : {
          valid: false,
          diagnostics: [
            { severity: "ERROR", code: "INVALID_JSON", message: reply.problem.detail, pointer: "" },
          ],
        };
    return c.json({ ...verdict, svg: preview(text) });
  });

  const machinePage = async (
    c: Context<ConsoleEnv>,
    extra: {
      draft?: string;
      startInput?: string;
      status?: number;
      problem?: ApiProblem;
      startProblem?: ApiProblem;
      diagnostics?: Diagnostic[];
    } = {},
  ) => {
    const name = c.req.param("name")!;
    const version = /^[1-9][0-9]{0,15}$/.test(c.req.query("version") ?? "")
      ? c.req.query("version")
      : undefined;
    const client = api(c);
    const [machine, executions] = await Promise.all([
      client.request<MachineVersion>("GET", `/v1/machines/${seg(name)}`, { query: { version } }),
      client.request<{ items: ExecutionSummary[] }>("GET", `/v1/machines/${seg(name)}/executions`, {
        query: { limit: "10" },
      }),
    ]);
    if (!machine.ok) {
      return page(
        c,
        { title: name, section: "machines", crumbs, status: machine.status },
        <>
          <h1>{name}</h1>
          <MachineProblem problem={machine.problem} />
        </>,
      );
    }
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
        draft={extra.draft ?? pretty(machine.body.definition)}
        startInput={started}
        notice={saved ? `Saved version ${Number(saved)}.` : undefined}
        problem={extra.problem}
        startProblem={extra.startProblem}
        diagnostics={extra.diagnostics}
      />,
    );
  };

  web.get("/console/machines/:name", (c) => machinePage(c));

  web.post("/console/machines/:name/save", async (c) => {
    const name = c.req.param("name");
    const text = str((await c.req.parseBody()).definition);
    const saved = await api(c).request<{ version: number }>("PUT", `/v1/machines/${seg(name)}`, {
      raw: text,
    });
    if (saved.ok) return c.redirect(`${machineHref(name)}?saved=${saved.body.version}`, 303);
    return machinePage(c, {
      draft: text,
      status: saved.status,
      problem: saved.problem,
      diagnostics: asDiagnostics(saved.problem),
    });
  });

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

  executionPages(web, api);
}

/** A refused PUT lists each ERROR in `errors` as "CODE: message" at its pointer. */
function asDiagnostics(problem: ApiProblem): Diagnostic[] | undefined {
  if (!problem.errors?.length) return undefined;
  return problem.errors.map((e) => {
    const match = /^([A-Z0-9_]+): (.*)$/s.exec(e.message);
    return {
      severity: "ERROR",
      code: match?.[1] ?? "INVALID",
      message: match?.[2] ?? e.message,
      pointer: e.pointer,
    };
  });
}

/** The preview SVG of unsaved text, or null when it is not JSON yet. */
function preview(text: string): string | null {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch {
    return null;
  }
  try {
    return renderDiagram(definition);
  } catch (e) {
    console.error(JSON.stringify({ event: "console_preview_failed", error: String(e) }));
    return null;
  }
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
