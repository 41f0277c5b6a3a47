import { describe, expect, it } from "vitest";
import { api } from "../support/api";

describe("GET /healthz", () => {
  it('answers 200 {"status":"ok"} without a key', async () => {
    const res = await api("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe('{"status":"ok"}');
  });

  it("sends the security headers", async () => {
    const res = await api("GET", "/healthz", { key: null });
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Strict-Transport-Security")).toContain("max-age=");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });
});
