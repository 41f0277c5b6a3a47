// Ticket misuse against `wrangler dev`, with the clients browsers have (a WebSocket and an
// EventSource carry no headers): expired, reused, for another target, for another tenant.
import { describe, expect, it } from "vitest";
import { base, call, openEventSource, openWebSocket, tenantKey, ticket } from "./clients";

const sseStatus = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(url, { headers: { Accept: "text/event-stream", ...headers } })).status;

describe("watch tickets, live", () => {
  it("open one watch once, from a browser's WebSocket and EventSource", async () => {
    const key = await tenantKey(`live-ticket-${Date.now()}`);
    const path = `/v1/entities/doc/t-${Date.now()}/watch`;
    const t = await ticket(key, path);
    const ws = await openWebSocket(`${path}?ticket=${t}`);
    await ws.until((m) => m.length >= 1);
    expect(ws.messages[0]).toEqual({ type: "missing" });
    ws.close();
    // Spent: the same ticket again, by either transport.
    await expect(openWebSocket(`${path}?ticket=${t}`)).rejects.toThrow();
    expect(await sseStatus(`${base()}${path}?ticket=${t}`)).toBe(401);

    const es = await openEventSource(`${base()}${path}?ticket=${await ticket(key, path)}`);
    await es.until((m) => m.length >= 1);
    es.close();
  });

  it("are refused for another target and for another tenant", async () => {
    const tenant = `live-ticket-b-${Date.now()}`;
    const key = await tenantKey(tenant);
    const path = `/v1/entities/doc/mine-${Date.now()}/watch`;
    const other = `/v1/entities/doc/other-${Date.now()}/watch`;
    expect(await sseStatus(`${base()}${other}?ticket=${await ticket(key, path)}`)).toBe(403);
    await expect(openWebSocket(`${other}?ticket=${await ticket(key, path)}`)).rejects.toThrow();
    const crossed = await sseStatus(`${base()}${path}?ticket=${await ticket(key, path)}`, {
      "Edgestate-Tenant": "someone-else",
    });
    expect(crossed).toBe(403);
  });

  it("are refused once expired (a one-second ticket, presented two seconds later)", async () => {
    const key = await tenantKey(`live-ticket-c-${Date.now()}`);
    const path = `/v1/entities/doc/late-${Date.now()}/watch`;
    const issued = await call("POST", "/v1/tickets", key, { watch: path, ttl: 1 });
    expect(issued.status).toBe(201);
    // No clock to inject into a running dev server: real time has to pass.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await sseStatus(`${base()}${path}?ticket=${issued.body!.ticket}`)).toBe(401);
  });
});
