import { describe, expect, it } from "vitest";
import { sampleById } from "../../src/console/pages/machines/samples";
import { api, unique } from "../support/api";
import { page, signIn } from "./support";

const HOSTILE = `<script>alert(1)</script>`;

const definition = (state: string) => ({
  StartAt: state,
  States: { [state]: { Type: "Pass", Result: { note: HOSTILE }, End: true } },
});

describe("console state machines", () => {
  it("escapes a hostile state name in the page and in the proxied diagram", async () => {
    const name = unique("m");
    expect((await api("PUT", `/v1/machines/${name}`, { body: definition(HOSTILE) })).status).toBe(201);
    const { cookie } = await signIn();
    const res = await page(`/console/machines/${name}`, { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const svg = await page(`/console/machines/${name}/diagram.svg?version=1`, { cookie });
    expect(svg.headers.get("Content-Type")).toBe("image/svg+xml");
    const text = await svg.text();
    expect(text).toMatch(/^<svg /);
    expect(text).not.toContain("<script>");
  });

  it("validates unsaved text live and previews its diagram", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { "X-CSRF-Token": csrf };
    const broken = { StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } };
    const res = await page("/console/machines/validate", {
      cookie,
      headers,
      json: { definition: JSON.stringify(broken) },
    });
    expect(res.status).toBe(200);
    const verdict = (await res.json()) as { valid: boolean; diagnostics: { pointer: string }[]; svg: string };
    expect(verdict.valid).toBe(false);
    expect(verdict.diagnostics.map((d) => d.pointer)).toContain("/States/A/Next");
    expect(verdict.svg).toMatch(/^<svg /);

    const notJson = await page("/console/machines/validate", {
      cookie,
      headers,
      json: { definition: "{ nope" },
    });
    const bad = (await notJson.json()) as { valid: boolean; diagnostics: { pointer: string }[]; svg: null };
    expect(bad).toMatchObject({ valid: false, svg: null });
    expect(bad.diagnostics[0]!.pointer).toBe("");
  });

  it("validates, previews, saves and runs the JSONata sample", async () => {
    const { cookie, csrf } = await signIn();
    const sample = sampleById("jsonata-variables")!;
    const res = await page("/console/machines/validate", {
      cookie,
      headers: { "X-CSRF-Token": csrf },
      json: { definition: JSON.stringify(sample.definition) },
    });
    const verdict = (await res.json()) as { valid: boolean; svg: string };
    expect(verdict.valid).toBe(true);
    expect(verdict.svg).toMatch(/^<svg /);
    expect(verdict.svg).toContain("$total &gt;= 40");
    const name = unique("jsonata");
    const created = await page("/console/machines/~new", {
      cookie,
      form: { _csrf: csrf, name, definition: JSON.stringify(sample.definition) },
    });
    expect(created.status).toBe(303);
    const run = await api("POST", `/v1/machines/${name}/executions?wait=10`, {
      body: { input: sample.input },
    });
    expect(await run.json()).toMatchObject({
      status: "SUCCEEDED",
      output: { labels: ["Ada: book at 10.8", "Ada: lamp at 27"], total: 37.800000000000004 },
    });
    const shown = await page(`/console/machines/${name}`, { cookie });
    expect(shown.status).toBe(200);
  });

  it("refuses a JSONata syntax error live, at its pointer", async () => {
    const { cookie, csrf } = await signIn();
    const broken = {
      QueryLanguage: "JSONata",
      StartAt: "A",
      States: { A: { Type: "Pass", Output: { x: "{% 1 + %}" }, End: true } },
    };
    const res = await page("/console/machines/validate", {
      cookie,
      headers: { "X-CSRF-Token": csrf },
      json: { definition: JSON.stringify(broken) },
    });
    const verdict = (await res.json()) as {
      valid: boolean;
      diagnostics: { pointer: string; code: string }[];
    };
    expect(verdict.valid).toBe(false);
    expect(verdict.diagnostics).toContainEqual(
      expect.objectContaining({ code: "INVALID_JSONATA", pointer: "/States/A/Output/x" }),
    );
  });

  it("lists a refused save's errors at their pointers, keeping the draft", async () => {
    const { cookie, csrf } = await signIn();
    const name = unique("m");
    const text = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass" } } });
    const res = await page("/console/machines/~new", {
      cookie,
      form: { _csrf: csrf, name, definition: text },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<strong>Not saved</strong>");
    expect(html).toContain('data-pointer="/States/A"');
    expect((await api("GET", `/v1/machines/${name}`)).status).toBe(404);
  });

  it("creates a machine, starts an execution and shows it", async () => {
    const { cookie, csrf } = await signIn();
    const name = unique("m");
    const created = await page("/console/machines/~new", {
      cookie,
      form: { _csrf: csrf, name, definition: JSON.stringify(definition("Only")) },
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("Location")).toBe(`/console/machines/${name}?saved=1`);
    const refused = await page(`/console/machines/${name}/start`, {
      cookie,
      form: { _csrf: csrf, input: "{oops" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("the input is not valid JSON");
    const started = await page(`/console/machines/${name}/start`, {
      cookie,
      form: { _csrf: csrf, input: '{"a":1}', name: "run-1" },
    });
    expect(started.status).toBe(303);
    expect(started.headers.get("Location")).toBe(`/console/machines/${name}/executions/run-1`);
    const shown = await page(`/console/machines/${name}/executions/run-1`, { cookie });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("ExecutionStarted");
  });

  it("shows a failed execution's error and cause, escaped", async () => {
    const name = unique("m");
    const failing = {
      StartAt: "Broken",
      States: { Broken: { Type: "Fail", Error: "Order.Invalid", Cause: HOSTILE } },
    };
    expect((await api("PUT", `/v1/machines/${name}`, { body: failing })).status).toBe(201);
    const run = await api("POST", `/v1/machines/${name}/executions?wait=10`, { body: { name: "bad" } });
    expect(((await run.json()) as { status: string }).status).toBe("FAILED");
    const { cookie } = await signIn();
    const html = await (await page(`/console/machines/${name}/executions/bad`, { cookie })).text();
    expect(html).toContain("<strong>Order.Invalid</strong>: &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("No output: the execution failed.");
    expect(html).not.toContain("data-poll");
    // The execution list is the KV index, written just after the execution ends.
    await expect
      .poll(async () => (await page(`/console/machines/${name}/executions?status=FAILED`, { cookie })).text())
      .toContain(`/console/machines/${name}/executions/bad`);
  });

  it("shows an unknown machine as a readable 404", async () => {
    const { cookie } = await signIn();
    const res = await page(`/console/machines/${unique("none")}`, { cookie });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('class="alert error"');
    expect(html).not.toContain("urn:edgestate:problem");
  });
});
