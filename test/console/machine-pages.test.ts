// The machine page draws one diagram; its definition is edited on a page of its own; history
// details show payloads as formatted JSON.
import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { page, signIn } from "./support";

const pass = (result: unknown) => ({
  StartAt: "Only",
  States: { Only: { Type: "Pass", Result: result, End: true } },
});

const images = (html: string) => html.match(/<img /g)?.length ?? 0;

describe("console machine pages", () => {
  it("draws the machine's diagram once, and links to its editor", async () => {
    const name = unique("m");
    expect((await api("PUT", `/v1/machines/${name}`, { body: pass(1) })).status).toBe(201);
    const { cookie } = await signIn();
    const html = await (await page(`/console/machines/${name}`, { cookie })).text();
    expect(images(html)).toBe(1);
    expect(html).not.toContain('id="preview"');
    expect(html).toContain(`href="/console/machines/${name}/edit"`);
  });

  it("edits a version on its own page, and keeps the draft when the API refuses it", async () => {
    const name = unique("m");
    expect((await api("PUT", `/v1/machines/${name}`, { body: pass(1) })).status).toBe(201);
    expect((await api("PUT", `/v1/machines/${name}`, { body: pass(2) })).status).toBe(200);
    const { cookie, csrf } = await signIn();
    const edit = await page(`/console/machines/${name}/edit?version=1`, { cookie });
    expect(edit.status).toBe(200);
    const html = await edit.text();
    expect(html).toContain("from version 1");
    expect(html).toContain("Save as version 3");
    expect(html).toContain('id="preview"');

    const broken = JSON.stringify({ StartAt: "Nowhere", States: {} });
    const refused = await page(`/console/machines/${name}/save`, {
      cookie,
      form: { _csrf: csrf, definition: broken },
    });
    expect(refused.status).toBe(400);
    const again = await refused.text();
    expect(again).toContain("<strong>Not saved</strong>");
    expect(again).toContain("Nowhere");
    expect(((await (await api("GET", `/v1/machines/${name}`)).json()) as { version: number }).version).toBe(
      2,
    );

    const saved = await page(`/console/machines/${name}/save`, {
      cookie,
      form: { _csrf: csrf, definition: JSON.stringify(pass(3)) },
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/console/machines/${name}?saved=3`);
  });

  it("shows history payloads as formatted JSON, not as escaped strings", async () => {
    const name = unique("m");
    expect((await api("PUT", `/v1/machines/${name}`, { body: pass({ note: "<b>hi</b>" }) })).status).toBe(
      201,
    );
    const run = await api("POST", `/v1/machines/${name}/executions?wait=10`, {
      body: { name: "run", input: { order: 7 } },
    });
    expect(run.status).toBe(200);
    const { cookie } = await signIn();
    const html = await (await page(`/console/machines/${name}/executions/run`, { cookie })).text();
    // hono/jsx writes the quotes of text as &quot;; an escaped string would show \&quot; instead.
    expect(html).toContain(`<dt>input</dt><dd><pre class="json short">{\n  &quot;order&quot;: 7\n}</pre>`);
    expect(html).toContain("&quot;note&quot;: &quot;&lt;b&gt;hi&lt;/b&gt;&quot;");
    expect(html).not.toContain("\\&quot;");
  });
});
