import { describe, expect, it } from "vitest";
import { setObjectSecret } from "../security/support";
import { api, unique } from "../support/api";
import { watch, watchResponse } from "./support";

const put = (path: string, body: unknown, query = "") => api("PUT", `${path}${query}`, { body });

describe("watching an entity over a WebSocket", () => {
  it("starts with the current state, then every committed version in order", async () => {
    const path = `/v1/entities/doc/${unique()}`;
    await put(path, { n: 1 });
    const w = await watch(`${path}/watch`);
    expect(await w.next()).toMatchObject({
      type: "version",
      version: 1,
      op: "put",
      body: { n: 1 },
      expiresAt: null,
    });
    await put(path, { n: 2 });
    await api("PATCH", path, { body: { m: 3 }, contentType: "application/merge-patch+json" });
    await api("DELETE", path);
    expect(await w.next()).toMatchObject({ type: "version", version: 2, op: "put", body: { n: 2 } });
    expect(await w.next()).toMatchObject({ type: "version", version: 3, op: "patch", body: { n: 2, m: 3 } });
    expect(await w.next()).toEqual({ type: "deleted", version: 4 });
    w.ws.close(1000);
  });

  it("says missing for an entity that does not exist, then sees it created", async () => {
    const path = `/v1/entities/doc/${unique()}`;
    const w = await watch(`${path}/watch`);
    expect(await w.next()).toEqual({ type: "missing" });
    await put(path, { hello: "world" });
    expect(await w.next()).toMatchObject({ type: "version", version: 1, body: { hello: "world" } });
    w.ws.close(1000);
  });

  it("refuses a request that is neither a WebSocket nor SSE with 406", async () => {
    const res = await api("GET", `/v1/entities/doc/${unique()}/watch`);
    expect(res.status).toBe(406);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
  });

  it("refuses one watcher more than MAX_WATCHERS_PER_OBJECT with a 503 and Retry-After", async () => {
    const previous = await setObjectSecret("MAX_WATCHERS_PER_OBJECT", "2");
    try {
      const path = `/v1/entities/doc/${unique()}/watch`;
      const held = [await watch(path), await watch(path)];
      const refused = await watchResponse(path);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("Retry-After")).toBe("5");
      expect(await refused.json()).toMatchObject({ detail: "this object already carries 2 watchers" });
      for (const w of held) w.ws.close(1000);
    } finally {
      await setObjectSecret("MAX_WATCHERS_PER_OBJECT", previous);
    }
  });

  it("needs a key: 401 without one", async () => {
    const res = await watchResponse(`/v1/entities/doc/${unique()}/watch`, { key: null });
    expect(res.status).toBe(401);
  });
});
