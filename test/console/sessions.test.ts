import { describe, expect, it } from "vitest";
import { api, json, unique } from "../support/api";
import { page, signIn } from "./support";

async function startSession(subject: string): Promise<string> {
  const res = await api("POST", "/v1/sessions", { body: { subject, data: { who: "<b>bold</b>" } } });
  return (await json<{ id: string }>(res)).id;
}

describe("console sessions", () => {
  it("looks a session up by a posted id, never one in the URL", async () => {
    const subject = unique("user");
    const id = await startSession(subject);
    const { cookie, csrf } = await signIn();
    const res = await page("/console/sessions/lookup", { cookie, form: { _csrf: csrf, id } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(id);
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).toContain(`href="/console/subjects/${subject}"`);
  });

  it("shows an unknown session as a readable 404", async () => {
    const { cookie, csrf } = await signIn();
    const res = await page("/console/sessions/lookup", { cookie, form: { _csrf: csrf, id: "ses_nope" } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('class="alert error"');
    expect(html).not.toContain('"status":404');
  });

  it("revokes one session, then all of a subject's", async () => {
    const subject = unique("user");
    const [a, b, c] = [await startSession(subject), await startSession(subject), await startSession(subject)];
    const { cookie, csrf } = await signIn();
    const one = await page("/console/sessions/revoke", { cookie, form: { _csrf: csrf, id: a, subject } });
    expect(one.status).toBe(303);
    expect(one.headers.get("Location")).toBe(`/console/subjects/${subject}?revoked=1`);
    expect((await api("GET", `/v1/sessions/${a}`)).status).toBe(404);
    const list = await (await page(`/console/subjects/${subject}`, { cookie })).text();
    expect(list).toContain("Revoke all (2)");
    const all = await page(`/console/subjects/${subject}/revoke`, { cookie, form: { _csrf: csrf } });
    expect(all.headers.get("Location")).toBe(`/console/subjects/${subject}?revokedAll=2`);
    for (const id of [b, c]) expect((await api("GET", `/v1/sessions/${id}`)).status).toBe(404);
  });
});
