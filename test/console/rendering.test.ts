import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";
import { page, signIn } from "./support";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

describe("console rendering", () => {
  it("escapes document content and ids on the entity page", async () => {
    const id = `x~.${unique()}-_`;
    await api("PUT", `/v1/entities/note/${id}`, { body: { title: HOSTILE, [HOSTILE]: 1 } });
    const { cookie } = await signIn();
    const res = await page(`/console/entities/note/${id}`, { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(id);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert");
  });

  it("escapes a hostile path and query, and shows the API's refusal as a message", async () => {
    const { cookie } = await signIn();
    const res = await page(
      `/console/entities/${encodeURIComponent(HOSTILE)}?prefix=${encodeURIComponent(HOSTILE)}`,
      {
        cookie,
      },
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain('class="alert error"');
    expect(html).toContain("Bad Request");
    expect(html).not.toContain("urn:edgestate:problem");
  });

  it("renders a missing entity as a readable 404, not the problem document", async () => {
    const { cookie } = await signIn();
    const res = await page(`/console/entities/note/${unique("missing")}`, { cookie });
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<strong>Not Found<\/strong>/);
    expect(html).toMatch(/Request id [0-9a-f-]{36}/);
    expect(html).not.toContain('"status":404');
  });

  it("shows a stale edit as a conflict and keeps the draft", async () => {
    const id = unique();
    await api("PUT", `/v1/entities/note/${id}`, { body: { v: 1 } });
    await api("PUT", `/v1/entities/note/${id}`, { body: { v: 2 } });
    const { cookie, csrf } = await signIn();
    const res = await page(`/console/entities/note/${id}/save`, {
      cookie,
      form: { _csrf: csrf, base: "1", body: '{"v":"mine"}', ttlMode: "keep", ttl: "" },
    });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("Conflict: not saved.");
    expect(html).toContain("{&quot;v&quot;:&quot;mine&quot;}");
    expect(await (await api("GET", `/v1/entities/note/${id}`)).json()).toEqual({ v: 2 });
  });

  it("serves its script and stylesheet as files, and pages reference no inline code", async () => {
    const { cookie } = await signIn();
    const html = await (await page("/console", { cookie })).text();
    expect(html).toMatch(/<script src="\/console\/assets\/app\.js\?v=\w+" defer=""><\/script>/);
    expect(html).not.toMatch(/<script>|<style|style="|onclick=/);
    const js = await page("/console/assets/app.js");
    expect(js.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect((await page("/console/assets/app.css")).headers.get("Content-Type")).toMatch(/^text\/css/);
    expect(js.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
  });

  it("answers an unknown console page with an HTML 404", async () => {
    const { cookie } = await signIn();
    const res = await page("/console/nowhere", { cookie });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
  });
});
