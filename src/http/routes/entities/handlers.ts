import type { OpenAPIHono } from "@hono/zod-openapi";
import { copyContext, copyKey, listIndex, readCopy } from "../../../cache/entity-cache";
import { noteListing } from "../../../cache/list-lease";
import { openedCopies } from "../../../cache/opened-copies";
import { getConfig } from "../../../config";
import type { EntityAddress, EntityRead, PatchDocument } from "../../../core/entity/contract";
import { parseJsonPatch } from "../../../core/entity/json-patch";
import { notModified, parseEtagList } from "../../../core/entity/preconditions";
import type { JsonValue } from "../../../core/json/json-value";
import { SealError } from "../../../crypto/sealer";
import { entityStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { parseMediaType } from "../../body/media-type";
import { unsupportedMediaType } from "../../middleware/declared-input";
import { badRequest, fromFailure } from "../../problem";
import { serveWatch } from "../../watch/serve-watch";
import { entityHeaders, writeResponse } from "./reply";
import {
  deleteEntity,
  entityHistory,
  getEntity,
  listEntities,
  patchEntity,
  putEntity,
  watchEntity,
} from "./routes";
import { ttlChange, writeRequest } from "./write-request";

/** The media types PATCH declares (routes.ts); the media-type gate refused any other. */
const PATCH_TYPES: Record<string, PatchDocument["kind"]> = {
  "application/merge-patch+json": "merge",
  "application/json-patch+json": "json",
};

export function entityRoutes(app: OpenAPIHono<AppEnv>) {
  const address = (
    c: { get(k: "tenant"): string | undefined },
    p: { type: string; id: string },
  ): EntityAddress => ({
    tenant: c.get("tenant")!,
    type: p.type,
    id: p.id,
  });

  app.openapi(getEntity, async (c) => {
    const params = c.req.valid("param");
    const { version, consistency } = c.req.valid("query");
    const target = address(c, params);
    const ifNoneMatch = parseEtagList(c.req.header("If-None-Match"), "If-None-Match", "weak");
    if (!ifNoneMatch.ok) throw badRequest(ifNoneMatch.message);

    let state: EntityRead | null = null;
    if (consistency === "eventual" && version === undefined) {
      state = await readCachedCopy(c.env, target);
      c.set("cache", state ? "hit" : "miss");
    } else c.set("cache", "bypass");
    if (!state) {
      const read = await entityStub(c.env, target).get(target, {
        ...(version !== undefined ? { version } : {}),
        refillCache: c.get("cache") === "miss",
      });
      if (!read.ok) throw fromFailure(read);
      state = read.value;
    }
    const headers = {
      ...entityHeaders(state),
      "Edgestate-Cache": c.get("cache")!,
      // A transaction holds the entity: this is the last committed version, and it may change soon.
      ...(state.heldBy ? { "Edgestate-Held-By": state.heldBy.transaction } : {}),
    };
    if (notModified(state.version, ifNoneMatch.value)) return c.body(null, 304, headers);
    return c.body(state.body, 200, { "Content-Type": "application/json", ...headers });
  });

  app.openapi(putEntity, async (c) => {
    // With no body and no Content-Type the validator hands over `{}`: refuse rather than store it.
    if (c.req.header("Content-Type") === undefined) {
      throw badRequest("PUT needs the document as a JSON body (Content-Type: application/json)");
    }
    const body = JSON.stringify(c.req.valid("json") as JsonValue);
    const request = {
      ...(await writeRequest(c, true)),
      body,
      ttl: ttlChange(c.req.valid("query").ttl, "clear"),
    };
    const target = address(c, c.req.valid("param"));
    return writeResponse(c, await entityStub(c.env, target).put(target, request));
  });

  app.openapi(patchEntity, async (c) => {
    const kind = PATCH_TYPES[parseMediaType(c.req.header("Content-Type") ?? "")?.essence ?? ""];
    if (!kind) throw unsupportedMediaType("PATCH", Object.keys(PATCH_TYPES), null);
    const patchValue = c.req.valid("json") as JsonValue;
    if (kind === "json") {
      const parsed = parseJsonPatch(patchValue);
      if (!parsed.ok) throw badRequest("the JSON Patch is malformed", parsed.errors);
    }
    const patch: PatchDocument = { kind, patch: JSON.stringify(patchValue) };
    const request = { ...(await writeRequest(c)), patch, ttl: ttlChange(c.req.valid("query").ttl, "keep") };
    const target = address(c, c.req.valid("param"));
    return writeResponse(c, await entityStub(c.env, target).patch(target, request));
  });

  app.openapi(deleteEntity, async (c) => {
    const target = address(c, c.req.valid("param"));
    return writeResponse(c, await entityStub(c.env, target).delete(target, await writeRequest(c)));
  });

  app.openapi(entityHistory, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const target = address(c, c.req.valid("param"));
    const page = await entityStub(c.env, target).history(target, {
      limit: limit ?? 20,
      ...(cursor !== undefined ? { before: cursor } : {}),
    });
    if (!page.ok) throw fromFailure(page);
    const items = page.value.items.map((i) => ({
      version: i.version,
      op: i.op,
      at: new Date(i.at).toISOString(),
      body: i.body === null ? null : (JSON.parse(i.body) as JsonValue),
    }));
    return c.json({ items, cursor: page.value.cursor }, 200);
  });

  app.openapi(watchEntity, (c) => {
    const target = address(c, c.req.valid("param"));
    return serveWatch(c, entityStub(c.env, target), target);
  });

  app.openapi(listEntities, async (c) => {
    const { type } = c.req.valid("param");
    const { prefix, limit, cursor } = c.req.valid("query");
    const tenant = c.get("tenant")!;
    // Someone lists this type: its entities' entries follow their versions within a second.
    c.executionCtx.waitUntil(
      noteListing(c.env.CACHE, tenant, type, Date.now()).catch((e: unknown) =>
        console.error(JSON.stringify({ event: "list_lease_write_failed", cause: String(e) })),
      ),
    );
    const page = await listIndex(
      c.env.CACHE,
      {
        tenant,
        type,
        prefix: prefix ?? "",
        limit: limit ?? 100,
        ...(cursor ? { cursor } : {}),
      },
      Date.now(),
    ).catch((e: unknown) => {
      // A cursor KV does not recognise is the client's mistake, not ours.
      throw cursor ? badRequest("the cursor is not valid for this listing") : e;
    });
    const items = page.items.map((i) => ({
      id: i.id,
      version: i.version,
      updatedAt: new Date(i.updatedAt).toISOString(),
    }));
    return c.json({ items, cursor: page.cursor }, 200);
  });
}

/** The KV copy, if there is one that is live and opens; anything else is a miss. */
async function readCachedCopy(env: Env, target: EntityAddress): Promise<EntityRead | null> {
  const { sealer } = getConfig(env);
  const copy = await readCopy(env.CACHE, target);
  const now = Date.now();
  // Past its lease a copy may be one an object has since replaced or deleted: the object answers.
  if (!copy || !sealer || copy.meta.l <= now || (copy.meta.x !== null && copy.meta.x <= now)) return null;
  const opened = openedCopies(sealer);
  const key = copyKey(target);
  const context = copyContext(target, copy.meta);
  const read = (body: string) => ({
    version: copy.meta.v,
    body,
    updatedAt: copy.meta.u,
    expiresAt: copy.meta.x,
  });
  const known = opened.get(key, context.version, copy.sealed);
  if (known !== null) return read(known);
  try {
    const body = await sealer.open(copy.sealed, context);
    opened.keep(key, context.version, copy.sealed, body);
    return read(body);
  } catch (e) {
    // A copy sealed with a key since removed from the ring is just stale cache: read the object.
    if (e instanceof SealError) return null;
    throw e;
  }
}
