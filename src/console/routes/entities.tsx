// Entity pages: every read and write is a /v1/entities request through the API client.
import type { Context, Hono } from "hono";
import { type ApiClient, type ApiProblem, seg } from "../api-client";
import type { ConsoleEnv } from "../console-env";
import { page } from "../layout";
import { EntitiesIndex, entityHref, type ListItem, TypePage, typeHref } from "../pages/entities/browse-views";
import {
  type EntityDoc,
  EntityPage,
  type HistoryItem,
  type SaveOutcome,
} from "../pages/entities/document-views";
import { type IndexDraft, IndexesCard } from "../pages/entities/index-views";
import { parseTyped } from "../typed-json";
import { createIndex, indexPanel } from "./entity-indexes";

type Api = (c: Context<ConsoleEnv>) => ApiClient;

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function entityPages(web: Hono<ConsoleEnv>, api: Api) {
  web.get("/console/entities", async (c) => {
    const type = c.req.query("type")?.trim();
    const id = c.req.query("id")?.trim();
    const prefix = c.req.query("prefix")?.trim();
    if (type && id) return c.redirect(entityHref(type, id), 303);
    if (type)
      return c.redirect(`${typeHref(type)}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ""}`, 303);
    const types = await api(c).request<{ items: { type: string }[]; cursor: string | null }>(
      "GET",
      "/v1/entities",
      { query: { cursor: c.req.query("cursor"), limit: "100" } },
    );
    return page(
      c,
      { title: "Entities", section: "entities", status: types.ok ? 200 : types.status },
      <EntitiesIndex
        types={types.ok ? types.body.items.map((t) => t.type) : []}
        cursor={types.ok ? types.body.cursor : null}
        problem={types.ok ? undefined : types.problem}
      />,
    );
  });

  const typePage = async (
    c: Context<ConsoleEnv>,
    extra: {
      createProblem?: ApiProblem;
      draft?: { id: string; body: string; ttl: string };
      indexProblem?: ApiProblem;
      indexDraft?: IndexDraft;
      status?: number;
    } = {},
  ) => {
    const type = c.req.param("type")!;
    const prefix = c.req.query("prefix") ?? "";
    const client = api(c);
    const [reply, indexes] = await Promise.all([
      client.request<{ items: ListItem[]; cursor: string | null }>("GET", `/v1/entities/${seg(type)}`, {
        // The documents' own cursor: a query's cursor belongs to the query (?index=…).
        query: { prefix, cursor: c.req.query("index") ? undefined : c.req.query("cursor"), limit: "50" },
      }),
      indexPanel(c, client, type),
    ]);
    const deleted = c.req.query("deleted");
    const created = c.req.query("indexCreated");
    return page(
      c,
      {
        title: type,
        section: "entities",
        crumbs: [{ href: "/console/entities", label: "Entities" }],
        status: extra.status ?? (reply.ok ? 200 : reply.status),
      },
      <>
        <TypePage
          type={type}
          prefix={prefix}
          items={reply.ok ? reply.body.items : []}
          cursor={reply.ok ? reply.body.cursor : null}
          csrf={c.get("csrf")}
          problem={reply.ok ? undefined : reply.problem}
          createProblem={extra.createProblem}
          draft={extra.draft}
          notice={
            deleted
              ? `Deleted ${deleted}.`
              : created
                ? `Index ${created} created; it is built over the type's documents.`
                : undefined
          }
        />
        <IndexesCard
          type={type}
          {...indexes}
          csrf={c.get("csrf")}
          createProblem={extra.indexProblem}
          draft={extra.indexDraft}
        />
      </>,
    );
  };

  web.get("/console/entities/:type", (c) => typePage(c));

  web.post("/console/entities/:type/indexes", async (c) => {
    const type = c.req.param("type");
    const form = await c.req.parseBody();
    const draft = {
      name: str(form.name).trim(),
      keys: str(form.keys),
      sort: str(form.sort),
      unique: str(form.unique) === "on",
    };
    const reply = await createIndex(api(c), type, draft);
    if (reply.ok) return c.redirect(`${typeHref(type)}?indexCreated=${encodeURIComponent(draft.name)}`, 303);
    return typePage(c, { indexProblem: reply.problem, indexDraft: draft, status: reply.status });
  });

  web.post("/console/entities/:type", async (c) => {
    const type = c.req.param("type");
    const form = await c.req.parseBody();
    const draft = { id: str(form.id).trim(), body: str(form.body), ttl: str(form.ttl).trim() };
    const parsed = parseTyped(draft.body, "the document");
    if (!parsed.ok) {
      const createProblem = { status: 400, title: "Invalid JSON", detail: parsed.detail };
      return typePage(c, { createProblem, draft, status: 400 });
    }
    const reply = await api(c).request("PUT", `/v1/entities/${seg(type)}/${seg(draft.id)}`, {
      raw: JSON.stringify(parsed.value),
      headers: { "If-None-Match": "*" },
      query: { ttl: draft.ttl || undefined },
    });
    if (reply.ok) return c.redirect(`${entityHref(type, draft.id)}?saved=1`, 303);
    const createProblem =
      reply.status === 412
        ? {
            ...reply.problem,
            title: "Already exists",
            detail: `${type}/${draft.id} already exists; open it to edit it`,
          }
        : reply.problem;
    return typePage(c, { createProblem, draft, status: reply.status });
  });

  const entityPage = async (
    c: Context<ConsoleEnv>,
    extra: { draft?: string; base?: number; outcome?: SaveOutcome; status?: number } = {},
  ) => {
    const type = c.req.param("type")!;
    const id = c.req.param("id")!;
    const version = /^[1-9][0-9]{0,15}$/.test(c.req.query("version") ?? "")
      ? c.req.query("version")!
      : undefined;
    const client = api(c);
    const path = `/v1/entities/${seg(type)}/${seg(id)}`;
    const [read, history] = await Promise.all([
      client.request<unknown>("GET", path, { query: { version } }),
      client.request<{ items: HistoryItem[]; cursor: string | null }>("GET", `${path}/history`, {
        query: { limit: "20", cursor: c.req.query("historyCursor") },
      }),
    ]);
    const doc: EntityDoc | null = read.ok
      ? {
          version: Number(read.headers.get("Edgestate-Version")),
          updatedAt: isoOf(read.headers.get("Last-Modified")),
          expiresAt: read.headers.get("Edgestate-Expires"),
          heldBy: read.headers.get("Edgestate-Held-By"),
          body: read.body,
        }
      : null;
    const items = history.ok ? history.body.items : [];
    const latest = items.find((h) => h.op !== "delete")?.version ?? null;
    const saved = c.req.query("saved");
    const outcome: SaveOutcome | undefined =
      extra.outcome ?? (saved && doc ? { kind: "saved", version: doc.version } : undefined);
    return page(
      c,
      {
        title: `${id} · ${type}`,
        section: "entities",
        crumbs: [
          { href: "/console/entities", label: "Entities" },
          { href: typeHref(type), label: type },
        ],
        status: extra.status ?? (read.ok ? 200 : read.status),
      },
      <EntityPage
        type={type}
        id={id}
        doc={doc}
        viewingVersion={version !== undefined ? Number(version) : null}
        latestVersion={latest}
        readProblem={read.ok ? undefined : read.problem}
        history={items}
        historyCursor={history.ok ? history.body.cursor : null}
        csrf={c.get("csrf")}
        draft={extra.draft}
        base={extra.base}
        outcome={outcome}
      />,
    );
  };

  web.get("/console/entities/:type/:id", (c) => entityPage(c));

  web.post("/console/entities/:type/:id/save", async (c) => {
    const { type, id } = c.req.param();
    const form = await c.req.parseBody();
    const draft = str(form.body);
    const base = Number(str(form.base));
    const mode = str(form.ttlMode);
    const ttl = str(form.ttl).trim();
    const parsed = parseTyped(draft, "the document");
    if (!parsed.ok || !Number.isSafeInteger(base) || base < 1) {
      const message = parsed.ok ? "the form lost the version it was editing" : parsed.detail;
      return entityPage(c, { draft, outcome: { kind: "invalid-json", message }, status: 400 });
    }
    const path = `/v1/entities/${seg(type)}/${seg(id)}`;
    const ifMatch = { "If-Match": `"${base}"` };
    // A whole-document replace that keeps the TTL is a JSON Patch of the root; a PUT clears the TTL.
    const reply =
      mode === "clear"
        ? await api(c).request("PUT", path, { raw: JSON.stringify(parsed.value), headers: ifMatch })
        : await api(c).request("PATCH", path, {
            raw: JSON.stringify([{ op: "replace", path: "", value: parsed.value }]),
            contentType: "application/json-patch+json",
            headers: ifMatch,
            query: { ttl: mode === "set" ? ttl || "missing" : undefined },
          });
    if (reply.ok) return c.redirect(`${entityHref(type, id)}?saved=1`, 303);
    if (reply.status === 412) {
      const current = Number(reply.headers.get("ETag")?.replaceAll('"', ""));
      return entityPage(c, {
        draft,
        ...(Number.isSafeInteger(current) ? { base: current } : {}),
        outcome: {
          kind: "conflict",
          yourBase: base,
          current: Number.isSafeInteger(current) ? current : null,
        },
        status: 409,
      });
    }
    return entityPage(c, {
      draft,
      base,
      outcome: { kind: "problem", problem: reply.problem },
      status: reply.status,
    });
  });

  web.post("/console/entities/:type/:id/delete", async (c) => {
    const { type, id } = c.req.param();
    const base = str((await c.req.parseBody()).base);
    const reply = await api(c).request("DELETE", `/v1/entities/${seg(type)}/${seg(id)}`, {
      headers: { "If-Match": `"${base}"` },
    });
    if (reply.ok) return c.redirect(`${typeHref(type)}?deleted=${encodeURIComponent(id)}`, 303);
    if (reply.status === 412) {
      const current = Number(reply.headers.get("ETag")?.replaceAll('"', ""));
      return entityPage(c, {
        outcome: {
          kind: "conflict",
          yourBase: Number(base),
          current: Number.isSafeInteger(current) ? current : null,
        },
        status: 409,
      });
    }
    return entityPage(c, { outcome: { kind: "problem", problem: reply.problem }, status: reply.status });
  });
}

function isoOf(httpDate: string | null): string | null {
  if (!httpDate) return null;
  const d = new Date(httpDate);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
