import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseTicket, ticketTarget } from "../../src/auth/ticket-format";
import { sha256Hex } from "../../src/crypto/digest";
import { api, issueKey, json, unique } from "../support/api";
import { newEntity } from "../support/entities";
import { watch, watchResponse } from "./support";

async function issue(key: string | undefined, body: unknown, tenant?: string) {
  return api("POST", "/v1/tickets", { ...(key ? { key } : {}), body, ...(tenant ? { tenant } : {}) });
}

async function ticketFor(watchPath: string, key?: string, tenant?: string): Promise<string> {
  const res = await issue(key, { watch: watchPath }, tenant);
  expect(res.status).toBe(201);
  return (await json<{ ticket: string }>(res)).ticket;
}

const byTicket = (path: string, ticket: string, headers: Record<string, string> = {}) =>
  watchResponse(`${path}?ticket=${ticket}`, { key: null, headers });

describe("watch tickets", () => {
  it("open the watch they name, once, without an Authorization header", async () => {
    const tenant = unique("tenant");
    const key = await issueKey(tenant);
    const e = newEntity("doc", tenant);
    await api("PUT", e.path, { key, body: { a: 1 } });
    const res = await issue(key, { watch: `${e.path}/watch`, ttl: 30 });
    expect(res.status).toBe(201);
    // A ticket is a secret until it is spent: no cache may keep the reply.
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await json<{ ticket: string; watch: string; expiresAt: string }>(res);
    expect(body.ticket).toMatch(/^ewt_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(body.watch).toBe(`${e.path}/watch`);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);

    const w = await watch(`${e.path}/watch?ticket=${body.ticket}`, { key: null });
    expect(await w.next()).toMatchObject({ type: "version", body: { a: 1 } });
    w.ws.close(1000);
    const again = await byTicket(`${e.path}/watch`, body.ticket);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ detail: "the ticket is unknown, spent or expired" });
  });

  it("are refused on another target, and spent by that attempt", async () => {
    const e = newEntity();
    const ticket = await ticketFor(`${e.path}/watch`);
    const other = await byTicket(`${newEntity().path}/watch`, ticket);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ detail: "this ticket opens another watch" });
    expect((await byTicket(`${e.path}/watch`, ticket)).status).toBe(401);
  });

  it("are refused for another tenant", async () => {
    const e = newEntity("doc", "tenant-a");
    const ticket = await ticketFor(`${e.path}/watch`, undefined, "tenant-a");
    const res = await byTicket(`${e.path}/watch`, ticket, { "Edgestate-Tenant": "tenant-b" });
    expect(res.status).toBe(403);
    // A tenant key's ticket is its tenant's, whatever the header says.
    const key = await issueKey("tenant-c");
    const theirs = await ticketFor(`${e.path}/watch`, key);
    const crossed = await byTicket(`${e.path}/watch`, theirs, { "Edgestate-Tenant": "tenant-a" });
    expect(crossed.status).toBe(403);
  });

  it("expire: the key's record refuses one presented after its lifetime", async () => {
    const key = await issueKey(unique("tenant"));
    const path = `${newEntity().path}/watch`;
    const ticket = await ticketFor(path, key);
    const parsed = parseTicket(ticket)!;
    const record = env.API_KEYS.getByName(`key/${parsed.issuer}`);
    const later = Date.now() + 61_000;
    const spent = await record.redeemTicket(await sha256Hex(parsed.secret), await ticketTarget(path), later);
    expect(spent).toMatchObject({ ok: false, code: "unauthorized" });
  });

  it("are refused with a malformed ticket, with Authorization beside them, and where no ticket is taken", async () => {
    const e = newEntity();
    expect((await byTicket(`${e.path}/watch`, "ewt_nope")).status).toBe(401);
    const ticket = await ticketFor(`${e.path}/watch`);
    const both = await watchResponse(`${e.path}/watch?ticket=${ticket}`);
    expect(both.status).toBe(400);
    // spent by that presentation too
    const alone = await byTicket(`${e.path}/watch`, ticket);
    if (alone.webSocket) alone.webSocket.accept();
    alone.webSocket?.close(1000);
    expect(alone.status).toBe(401);
    const notAWatch = await api("GET", `${e.path}?ticket=${await ticketFor(`${e.path}/watch`)}`, {
      key: null,
    });
    expect(notAWatch.status).toBe(401);
  });

  it("are issued only with the read and write scopes, only for watch paths, and at most for 60 s", async () => {
    const reader = await issueKey(unique("tenant"), ["read"]);
    expect((await issue(reader, { watch: `${newEntity().path}/watch` })).status).toBe(403);
    // a key that may not read may not watch, by ticket either
    const writer = await issueKey(unique("tenant"), ["write"]);
    expect((await issue(writer, { watch: `${newEntity().path}/watch` })).status).toBe(403);
    expect((await issue(undefined, { watch: "/v1/keys" })).status).toBe(400);
    expect((await issue(undefined, { watch: "/v1/entities/Not A Type/x/watch" })).status).toBe(400);
    expect((await issue(undefined, { watch: `${newEntity().path}/watch`, ttl: 61 })).status).toBe(400);
    const keyed = await api("POST", "/v1/tickets", {
      body: { watch: `${newEntity().path}/watch` },
      headers: { "Idempotency-Key": "t-1" },
    });
    expect(keyed.status).toBe(400);
  });

  it("are kept only as hashes: neither the secret nor the watch path is stored", async () => {
    const key = await issueKey(unique("tenant"));
    const path = `/v1/sessions/ses_${"s".repeat(43)}/watch`;
    const ticket = await ticketFor(path, key);
    const parsed = parseTicket(ticket)!;
    const dump = await runInDurableObject(env.API_KEYS.getByName(`key/${parsed.issuer}`), (_, state) => {
      const tables = state.storage.sql
        .exec<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'",
        )
        .toArray();
      const rows = tables.map((t) => state.storage.sql.exec(`SELECT * FROM "${t.name}"`).toArray());
      return JSON.stringify([rows, [...state.storage.kv.list()]]);
    });
    expect(dump).toContain(await sha256Hex(parsed.secret));
    expect(dump).not.toContain(parsed.secret);
    expect(dump).not.toContain("sssssssss");
  });
});
