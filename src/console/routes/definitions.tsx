// The definition editor's pages over /v1/definitions/validate and PUT /v1/machines/{name}: a new
// machine from a sample, a new version of one, and live validation with a preview.
import type { Context, Hono } from "hono";
import { renderDiagram } from "../../machine/graph/index.ts";
import { type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import type { Diagnostic } from "../pages/machines/editor";
import { EditMachinePage, NewMachinePage } from "../pages/machines/editor-pages";
import { type MachineVersion, machineHref } from "../pages/machines/machine-views";
import { SAMPLES, sampleById } from "../pages/machines/samples";
import { type Api, crumbs, machineMissing, pretty, str, versionQuery } from "./machine-common";

/** Registered before the machine pages: "/console/machines/~new" must win over ":name". */
export function definitionPages(web: Hono<ConsoleEnv>, api: Api) {
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

  const editPage = async (
    c: Context<ConsoleEnv>,
    extra: { draft?: string; status?: number; problem?: ApiProblem; diagnostics?: Diagnostic[] } = {},
  ) => {
    const name = c.req.param("name")!;
    const machine = await api(c).request<MachineVersion>("GET", `/v1/machines/${seg(name)}`, {
      query: { version: versionQuery(c) },
    });
    if (!machine.ok) return machineMissing(c, name, machine.problem, machine.status);
    return page(
      c,
      {
        title: `Edit ${name}`,
        section: "machines",
        crumbs: [...crumbs, { href: machineHref(name), label: name }],
        status: extra.status ?? 200,
      },
      <EditMachinePage
        name={name}
        from={machine.body.version}
        latestVersion={machine.body.latestVersion}
        csrf={c.get("csrf")}
        draft={extra.draft ?? pretty(machine.body.definition)}
        problem={extra.problem}
        diagnostics={extra.diagnostics}
      />,
    );
  };

  web.get("/console/machines/:name/edit", (c) => editPage(c));

  web.post("/console/machines/:name/save", async (c) => {
    const name = c.req.param("name");
    const text = str((await c.req.parseBody()).definition);
    const saved = await api(c).request<{ version: number }>("PUT", `/v1/machines/${seg(name)}`, {
      raw: text,
    });
    if (saved.ok) return c.redirect(`${machineHref(name)}?saved=${saved.body.version}`, 303);
    return editPage(c, {
      draft: text,
      status: saved.status,
      problem: saved.problem,
      diagnostics: asDiagnostics(saved.problem),
    });
  });
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
