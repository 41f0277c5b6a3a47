// A second Worker (test/client/caller) calls edgestate through a service binding to
// EdgestateService: the client with `fetcher: env.EDGESTATE`, no URL. It sees the same data as
// HTTPS, the same validation, and the same key check.
import { describe, expect, inject, it } from "vitest";
import { adminKey, client, unique } from "./support";

const callerUrl = () => inject("callerUrl");

describe("through the service binding", () => {
  it("a user's Worker logs in, updates a cart concurrently and runs an order to its end", async () => {
    const id = unique("bound");
    const res = await fetch(`${callerUrl()}/tour`, {
      method: "POST",
      body: JSON.stringify({ key: adminKey(), id }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({
      sessionSubject: `user-${id}`,
      createdVersion: 1,
      versions: [2, 3, 4],
      items: ["apple", "pear", "plum"],
      status: "SUCCEEDED",
      output: { count: 3 },
      missing: "not-found",
    });
    // The same deployment as over HTTPS: what the binding wrote is there.
    const cart = await client().entities.get<{ items: string[] }>("cart", id);
    expect(cart.version).toBe(4);
    expect((await client().executions.describe("checkout", `order-${id}`)).status).toBe("SUCCEEDED");
  });

  it("a call without a key is refused as over HTTPS: no binding is trusted by itself", async () => {
    const res = await fetch(`${callerUrl()}/raw/v1/entities/cart/x`);
    expect(res.status).toBe(401);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "urn:edgestate:problem:unauthorized" });
  });

  it("a wrong key through the binding is an EdgestateError the caller can branch on", async () => {
    const res = await fetch(`${callerUrl()}/tour`, {
      method: "POST",
      body: JSON.stringify({ key: "esk_not_a_key", id: unique("bound") }),
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: expect.objectContaining({ code: "unauthorized", status: 401 }),
    });
  });
});
