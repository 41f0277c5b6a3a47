// Session pages over /v1/sessions and /v1/subjects/{subject}/sessions. Session ids are secrets, so
// they are posted in form bodies and never appear in a console URL.
import type { Context, Hono } from "hono";
import { type ApiClient, type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import {
  type Session,
  SessionPage,
  SessionsIndex,
  SubjectPage,
  type SubjectSession,
  subjectHref,
} from "../pages/sessions/views";
import { parseTyped } from "../typed-json";

type Api = (c: Context<ConsoleEnv>) => ApiClient;
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const crumbs = [{ href: "/console/sessions", label: "Sessions" }];

export function sessionPages(web: Hono<ConsoleEnv>, api: Api) {
  const index = (
    c: Context<ConsoleEnv>,
    extra: { status?: number; problem?: ApiProblem; lookupProblem?: ApiProblem; created?: Session } = {},
  ) => {
    const revoked = c.req.query("revoked");
    const notice = revoked === "1" ? "The session is revoked." : undefined;
    return page(
      c,
      { title: "Sessions", section: "sessions", status: extra.status ?? 200 },
      <SessionsIndex
        csrf={c.get("csrf")}
        notice={notice}
        problem={extra.problem}
        lookupProblem={extra.lookupProblem}
        created={extra.created}
      />,
    );
  };

  web.get("/console/sessions", (c) => {
    const subject = c.req.query("subject")?.trim();
    if (subject) return c.redirect(subjectHref(subject), 303);
    return index(c);
  });

  web.post("/console/sessions/lookup", async (c) => {
    const id = str((await c.req.parseBody()).id);
    const reply = await api(c).request<Session>("GET", `/v1/sessions/${seg(id)}`);
    if (!reply.ok) return index(c, { status: reply.status, lookupProblem: reply.problem });
    return page(
      c,
      { title: "Session", section: "sessions", crumbs },
      <SessionPage session={reply.body} csrf={c.get("csrf")} />,
    );
  });

  web.post("/console/sessions/new", async (c) => {
    const form = await c.req.parseBody();
    const subject = str(form.subject);
    const ttl = str(form.ttl);
    const data = parseTyped(str(form.data) || "{}", "the data");
    if (!data.ok)
      return index(c, { status: 400, problem: { status: 400, title: "Not started", detail: data.detail } });
    const reply = await api(c).request<Session>("POST", "/v1/sessions", {
      body: { ...(subject ? { subject } : {}), ...(ttl ? { ttl: Number(ttl) } : {}), data: data.value },
    });
    if (!reply.ok) return index(c, { status: reply.status, problem: reply.problem });
    return index(c, { status: 201, created: reply.body });
  });

  web.post("/console/sessions/revoke", async (c) => {
    const form = await c.req.parseBody();
    const id = str(form.id);
    const subject = str(form.subject);
    const reply = await api(c).request("DELETE", `/v1/sessions/${seg(id)}`);
    if (reply.ok)
      return c.redirect(subject ? `${subjectHref(subject)}?revoked=1` : "/console/sessions?revoked=1", 303);
    if (subject) return subjectPage(c, subject, { status: reply.status, problem: reply.problem });
    return index(c, { status: reply.status, problem: reply.problem });
  });

  const subjectPage = async (
    c: Context<ConsoleEnv>,
    subject: string,
    extra: { status?: number; problem?: ApiProblem } = {},
  ) => {
    const reply = await api(c).request<{ items: SubjectSession[] }>(
      "GET",
      `/v1/subjects/${seg(subject)}/sessions`,
    );
    const revoked = c.req.query("revoked");
    const all = c.req.query("revokedAll");
    const notice =
      revoked === "1"
        ? "The session is revoked."
        : all !== undefined
          ? `Revoked ${Number(all)} session${Number(all) === 1 ? "" : "s"}.`
          : undefined;
    return page(
      c,
      {
        title: subject,
        section: "sessions",
        crumbs,
        status: extra.status ?? (reply.ok ? 200 : reply.status),
      },
      <SubjectPage
        subject={subject}
        items={reply.ok ? reply.body.items : []}
        csrf={c.get("csrf")}
        problem={extra.problem ?? (reply.ok ? undefined : reply.problem)}
        notice={notice}
      />,
    );
  };

  web.get("/console/subjects/:subject", (c) => subjectPage(c, c.req.param("subject")));

  web.post("/console/subjects/:subject/revoke", async (c) => {
    const subject = c.req.param("subject");
    const reply = await api(c).request<{ revoked: number }>(
      "DELETE",
      `/v1/subjects/${seg(subject)}/sessions`,
    );
    if (reply.ok) return c.redirect(`${subjectHref(subject)}?revokedAll=${reply.body.revoked}`, 303);
    return subjectPage(c, subject, { status: reply.status, problem: reply.problem });
  });
}
