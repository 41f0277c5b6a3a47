import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { isoTime } from "../../../core/clock";
import { notModified, parseEtagList } from "../../../core/entity/preconditions";
import { fail } from "../../../core/result";
import type { CreateSessionRequest, SessionAddress, SubjectAddress } from "../../../core/session/contract";
import { resolveLifetime } from "../../../core/session/expiry";
import { SESSION_ID } from "../../../crypto/session-id";
import { sessionStub, subjectStub } from "../../../objects/names";
import type { AppEnv } from "../../app-env";
import { NO_STORE } from "../../contract/headers";
import { badRequest, fromFailure } from "../../problem";
import { storedReplyResponse } from "../../stored-reply";
import { serveWatch } from "../../watch/serve-watch";
import { keyed, writeRequest } from "../entities/write-request";
import { sessionHeaders, sessionWriteResponse } from "./reply";
import {
  createSession,
  deleteSession,
  getSession,
  listSubjectSessions,
  patchSession,
  revokeSubjectSessions,
  watchSession,
} from "./routes";
import { sessionIdFor } from "./session-ids";

/** Unknown, expired, revoked and malformed ids: one problem, so no reply tells them apart. */
const noSuchSession = () => fromFailure(fail("not_found", "no such session"));

function sessionAddress(c: Context<AppEnv>, id: string): SessionAddress {
  if (!SESSION_ID.test(id)) throw noSuchSession();
  return { tenant: c.get("tenant")!, id };
}

const subjectAddress = (c: Context<AppEnv>, subject: string): SubjectAddress => ({
  tenant: c.get("tenant")!,
  subject,
});

export function sessionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(watchSession, (c) => {
    const address = sessionAddress(c, c.req.valid("param").id);
    return serveWatch(c, sessionStub(c.env, address.tenant, address.id), address);
  });

  app.openapi(createSession, async (c) => {
    const body = c.req.valid("json") ?? {};
    const lifetime = resolveLifetime(body);
    if (!lifetime.ok) throw fromFailure(lifetime);
    const write = await writeRequest(c);
    if (write.precondition.ifMatch !== undefined) {
      const message = "If-Match has no meaning on a create";
      throw badRequest(message, [{ pointer: "/headers/if-match", message }]);
    }
    const tenant = c.get("tenant")!;
    const id = await sessionIdFor(c.env, tenant, write.idempotency?.key);
    const request: CreateSessionRequest = {
      ...write,
      subject: body.subject ?? null,
      data: JSON.stringify(body.data ?? {}),
      lifetime: lifetime.value,
    };
    // With a subject, its index records the id before the session exists (see SubjectObject).
    const reply = request.subject
      ? await subjectStub(c.env, tenant, request.subject).create(
          { tenant, subject: request.subject },
          id,
          request,
        )
      : await sessionStub(c.env, tenant, id).create({ tenant, id }, request);
    return sessionWriteResponse(c, reply, id);
  });

  app.openapi(getSession, async (c) => {
    const address = sessionAddress(c, c.req.valid("param").id);
    // If-None-Match compares weakly (RFC 9110 §13.1.2): a cache that weakened our ETag still gets a 304.
    const ifNoneMatch = parseEtagList(c.req.header("If-None-Match"), "If-None-Match", "weak");
    if (!ifNoneMatch.ok) throw badRequest(ifNoneMatch.message);
    const read = await sessionStub(c.env, address.tenant, address.id).get(address);
    if (!read.ok) throw fromFailure(read);
    const headers = sessionHeaders(read.value);
    if (notModified(read.value.version, ifNoneMatch.value)) return c.body(null, 304, headers);
    return c.body(read.value.body, 200, { "Content-Type": "application/json", ...headers });
  });

  app.openapi(patchSession, async (c) => {
    const address = sessionAddress(c, c.req.valid("param").id);
    const request = { ...(await writeRequest(c)), patch: JSON.stringify(c.req.valid("json")) };
    const reply = await sessionStub(c.env, address.tenant, address.id).patch(address, request);
    return sessionWriteResponse(c, reply, address.id);
  });

  app.openapi(deleteSession, async (c) => {
    const address = sessionAddress(c, c.req.valid("param").id);
    const reply = await sessionStub(c.env, address.tenant, address.id).revoke(address, await writeRequest(c));
    return sessionWriteResponse(c, reply, address.id);
  });

  app.openapi(listSubjectSessions, async (c) => {
    const address = subjectAddress(c, c.req.valid("param").subject);
    const live = await subjectStub(c.env, address.tenant, address.subject).list(address);
    const items = live.map((s) => ({
      id: s.id,
      createdAt: isoTime(s.createdAt),
      expiresAt: isoTime(s.expiresAt),
    }));
    return c.json({ items }, 200, NO_STORE);
  });

  app.openapi(revokeSubjectSessions, async (c) => {
    const address = subjectAddress(c, c.req.valid("param").subject);
    const reply = await subjectStub(c.env, address.tenant, address.subject).revokeAll(
      address,
      await keyed(c),
    );
    return storedReplyResponse(c, reply, ({ revoked }, replay) =>
      c.json({ revoked }, 200, { ...NO_STORE, ...replay }),
    );
  });
}
