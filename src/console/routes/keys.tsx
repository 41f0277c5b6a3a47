// API key pages over /v1/keys, for the tenant the console acts on. Issuing answers the form with the
// page itself, so the secret is shown once and never travels in a URL (history, logs).
import type { Context, Hono } from "hono";
import { isKeyId } from "../../auth/key-format";
import { type ApiClient, type ApiProblem, seg } from "../api-client";
import { keepForNextPage, type ShownOnce, takeIssued } from "../auth/issued-key";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import { type KeySummary, KeysPage, SCOPES } from "../pages/keys/views";

type Api = (c: Context<ConsoleEnv>) => ApiClient;
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

export function keyPages(web: Hono<ConsoleEnv>, api: Api) {
  const keysPage = async (
    c: Context<ConsoleEnv>,
    extra: {
      status?: number;
      notice?: string;
      problem?: ApiProblem;
      issueProblem?: ApiProblem;
      issued?: ShownOnce;
      draft?: { name: string; scopes: string[] };
    } = {},
  ) => {
    const tenant = c.get("session").tenant;
    const reply = await api(c).request<{ items: KeySummary[]; cursor: string | null }>("GET", "/v1/keys", {
      query: { tenant, cursor: c.req.query("cursor"), limit: "100" },
    });
    return page(
      c,
      { title: "API keys", section: "keys", status: extra.status ?? (reply.ok ? 200 : reply.status) },
      <KeysPage
        tenant={tenant}
        currentKeyId={keyIdOf(c.get("session").key)}
        items={reply.ok ? reply.body.items : []}
        cursor={reply.ok ? reply.body.cursor : null}
        csrf={c.get("csrf")}
        problem={extra.problem ?? (reply.ok ? undefined : reply.problem)}
        issueProblem={extra.issueProblem}
        notice={extra.notice}
        issued={extra.issued}
        draft={extra.draft}
      />,
    );
  };

  web.get("/console/keys", (c) => {
    const issued = takeIssued(c, c.get("session").tenant);
    const id = c.req.query("issued");
    if (issued && issued.id === id) return keysPage(c, { issued });
    // A reload: the secret was shown once, and is gone.
    const notice = id && isKeyId(id) ? `Key ${id} was issued; its secret was shown once.` : undefined;
    return keysPage(c, notice ? { notice } : {});
  });

  web.post("/console/keys", async (c) => {
    const form = await c.req.parseBody();
    const draft = { name: str(form.name), scopes: SCOPES.filter((s) => form[`scope-${s}`] === "on") };
    const reply = await api(c).request<ShownOnce>("POST", "/v1/keys", {
      body: { tenant: c.get("session").tenant, scopes: draft.scopes, name: draft.name },
    });
    if (!reply.ok) return keysPage(c, { status: reply.status, issueProblem: reply.problem, draft });
    keepForNextPage(c, reply.body);
    return c.redirect(`/console/keys?issued=${reply.body.id}`, 303);
  });

  web.post("/console/keys/revoke", async (c) => {
    const id = str((await c.req.parseBody()).id);
    const reply = await api(c).request("DELETE", `/v1/keys/${seg(id)}`);
    if (!reply.ok) return keysPage(c, { status: reply.status, problem: reply.problem });
    return keysPage(c, { notice: `Revoked key ${id}: requests with it are refused from now on.` });
  });
}

/** Tenant keys are esk_<id>_<secret>; the root key has no id. */
function keyIdOf(key: string): string | undefined {
  const id = key.split("_")[1];
  return id !== undefined && isKeyId(id) ? id : undefined;
}
