import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { ASSET_VERSION } from "./assets/routes";
import { CSRF_FIELD } from "./auth/csrf";
import type { ConsoleEnv } from "./console-env";

export type Section = "machines" | "entities" | "sessions" | "keys";

export interface PageOptions {
  title: string;
  section?: Section;
  crumbs?: { href: string; label: string }[];
  status?: number;
  /** Extra attributes for <body>, e.g. data-poll while an execution runs. */
  bodyData?: Record<string, string>;
}

/** A hidden CSRF field for a form of a signed-in page. */
export const Csrf: FC<{ token: string }> = ({ token }) => (
  <input type="hidden" name={CSRF_FIELD} value={token} />
);

const Shell: FC<{ title: string; children: Child; bodyData?: Record<string, string> | undefined }> = ({
  title,
  children,
  bodyData,
}) => {
  const data = Object.fromEntries(Object.entries(bodyData ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* The API answers with Referrer-Policy: no-referrer, under which a browser sends
            "Origin: null" on form posts; same-origin keeps the Origin check meaningful and still
            sends nothing to other sites. */}
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · edgestate console`}</title>
        <link rel="stylesheet" href={`/console/assets/app.css?v=${ASSET_VERSION}`} />
        <link rel="icon" href={`/console/assets/icon.svg?v=${ASSET_VERSION}`} type="image/svg+xml" />
        <script src={`/console/assets/app.js?v=${ASSET_VERSION}`} defer></script>
      </head>
      <body {...data}>{children}</body>
    </html>
  );
};

const NAV: { section: Section; href: string; label: string }[] = [
  { section: "machines", href: "/console/machines", label: "State machines" },
  { section: "entities", href: "/console/entities", label: "Entities" },
  { section: "sessions", href: "/console/sessions", label: "Sessions" },
  { section: "keys", href: "/console/keys", label: "API keys" },
];

/** A full signed-in page: header bar (sections, tenant, sign-out), breadcrumbs, title, body. */
export function page(c: Context<ConsoleEnv>, options: PageOptions, body: Child) {
  const session = c.get("session");
  const csrf = c.get("csrf");
  const here = new URL(c.req.url);
  const next = here.pathname + here.search;
  return html(
    c,
    <Shell title={options.title} bodyData={options.bodyData}>
      <header class="topbar">
        <a class="brand" href="/console" aria-label="edgestate console home">
          <span class="logo" aria-hidden="true"></span>
          <span class="brand-name">edgestate</span>
        </a>
        <nav class="sections" aria-label="Sections">
          {NAV.map((n) => (
            <a href={n.href} class={n.section === options.section ? "active" : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="who">
          {session.admin ? (
            <form method="post" action="/console/tenant" class="tenant-switch">
              <Csrf token={csrf} />
              <input type="hidden" name="next" value={next} />
              <label>
                <span class="label-text">Tenant</span>
                <input
                  name="tenant"
                  value={session.tenant}
                  size={12}
                  required
                  pattern="[a-z0-9][a-z0-9_\-]{0,63}"
                />
              </label>
              <button type="submit" class="small">
                Switch
              </button>
            </form>
          ) : (
            <span class="tenant-fixed">
              Tenant <strong>{session.tenant}</strong>
            </span>
          )}
          <form method="post" action="/console/sign-out">
            <Csrf token={csrf} />
            <button type="submit" class="small ghost">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main class="page">
        {options.crumbs?.length ? (
          <nav class="crumbs" aria-label="Breadcrumbs">
            {options.crumbs.map((crumb, i) => (
              <>
                {i > 0 ? <span class="sep">/</span> : null}
                <a href={crumb.href}>{crumb.label}</a>
              </>
            ))}
          </nav>
        ) : null}
        {body}
      </main>
    </Shell>,
    options.status,
  );
}

/** A page without the header bar (sign-in, errors before sign-in). */
export function barePage(c: Context<ConsoleEnv>, title: string, body: Child, status = 200) {
  return html(
    c,
    <Shell title={title}>
      <main class="bare">{body}</main>
    </Shell>,
    status,
  );
}

function html(c: Context<ConsoleEnv>, node: Child, status = 200) {
  c.header("Cache-Control", "no-store");
  return c.html(
    <>
      {raw("<!doctype html>")}
      {node}
    </>,
    status as 200,
  );
}
