import { describe, expect, it } from "vitest";
import { api } from "../support/api";
import { get, newEntity, put, remove } from "../support/entities";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("Request-Id", () => {
  it("is on every reply, successes and errors alike", async () => {
    const e = newEntity();
    const replies: [string, Response][] = [
      ["201", await put(e, { a: 1 })],
      ["200", await get(e)],
      ["304", await get(e, { headers: { "If-None-Match": '"1"' } })],
      ["400", await api("PUT", e.path, { raw: "{" })],
      ["401", await get(e, { key: null })],
      ["404 route", await api("GET", "/nowhere", { key: null })],
      ["404 entity", await get(newEntity())],
      ["405", await api("POST", e.path)],
      ["412", await put(e, 1, { headers: { "If-Match": '"9"' } })],
      ["413", await api("PUT", e.path, { raw: JSON.stringify("x".repeat(300_000)) })],
      ["415", await api("PATCH", e.path, { raw: "{}" })],
      ["204", await remove(e)],
      ["healthz", await api("GET", "/healthz", { key: null })],
      ["openapi", await api("GET", "/openapi.json", { key: null })],
    ];
    for (const [label, res] of replies) {
      expect(res.headers.get("Request-Id"), label).toMatch(UUID);
      await res.body?.cancel();
    }
  });

  it("is different for every request", async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i++)
      ids.add((await api("GET", "/healthz", { key: null })).headers.get("Request-Id"));
    expect(ids.size).toBe(5);
  });

  it("is the problem document's instance", async () => {
    const res = await get(newEntity());
    const body = (await res.json()) as { instance: string };
    expect(body.instance).toBe(res.headers.get("Request-Id"));
  });
});
