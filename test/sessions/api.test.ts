import { describe, expect, it } from "vitest";
import { SESSION_ID } from "../../src/crypto/session-id";
import { api, json, unique } from "../support/api";
import { createSession, mergePatch, type SessionBody } from "./helpers";

describe("POST /v1/sessions", () => {
  it("creates a session with defaults and returns it with 201, Location and ETag", async () => {
    const before = Date.now();
    const res = await api("POST", "/v1/sessions", { body: { subject: "user-1", data: { role: "admin" } } });
    expect(res.status).toBe(201);
    const s = await json<SessionBody>(res);
    expect(Object.keys(s)).toEqual([
      "id",
      "subject",
      "data",
      "version",
      "createdAt",
      "expiresAt",
      "absoluteExpiresAt",
    ]);
    expect(s.id).toMatch(SESSION_ID);
    expect(s).toMatchObject({ subject: "user-1", data: { role: "admin" }, version: 1 });
    const created = Date.parse(s.createdAt);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(Date.parse(s.expiresAt) - created).toBe(3600 * 1000);
    expect(Date.parse(s.absoluteExpiresAt) - created).toBe(2_592_000 * 1000);
    expect(res.headers.get("Location")).toBe(`/v1/sessions/${s.id}`);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(res.headers.get("Edgestate-Version")).toBe("1");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("creates a session without a body, subject or data", async () => {
    const res = await api("POST", "/v1/sessions");
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await json(res)).toMatchObject({ subject: null, data: {}, version: 1 });
  });

  it("honours ttl and absoluteTtl", async () => {
    const s = await createSession({ ttl: 60, absoluteTtl: 90 });
    const created = Date.parse(s.createdAt);
    expect(Date.parse(s.expiresAt) - created).toBe(60_000);
    expect(Date.parse(s.absoluteExpiresAt) - created).toBe(90_000);
  });

  it.each([
    ["ttl below 60", { ttl: 59 }, "/ttl"],
    ["ttl above 2592000", { ttl: 2_592_001 }, "/ttl"],
    ["ttl not a whole number", { ttl: 60.5 }, "/ttl"],
    ["ttl as a string", { ttl: "3600" }, "/ttl"],
    ["absoluteTtl below ttl", { ttl: 600, absoluteTtl: 300 }, "/absoluteTtl"],
    ["absoluteTtl below the default ttl", { absoluteTtl: 120 }, "/absoluteTtl"],
    ["an unknown field", { subject: "u", extra: 1 }, "/extra"],
    ["a subject with a slash", { subject: "a/b" }, "/subject"],
    ["an empty subject", { subject: "" }, "/subject"],
    ["a dot-segment subject", { subject: ".." }, "/subject"],
    ["a subject over 256 characters", { subject: "a".repeat(257) }, "/subject"],
    ["data that is not an object", { data: [1, 2] }, "/data"],
    ["sliding that is not a boolean", { sliding: "yes" }, "/sliding"],
  ])("refuses %s with a 400 problem", async (_name, body, pointer) => {
    const res = await api("POST", "/v1/sessions", { body });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    const problem = await json<{ errors: { pointer: string }[] }>(res);
    expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await api("POST", "/v1/sessions", { raw: "subject=u", contentType: "text/plain" });
    expect(res.status).toBe(415);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("accepts subjects with @ and : and finds them percent-encoded too", async () => {
    const subject = `${unique("mail")}@example.com:web`;
    const s = await createSession({ subject });
    expect(s.subject).toBe(subject);
    const list = await api("GET", `/v1/subjects/${encodeURIComponent(subject)}/sessions`);
    expect((await json<{ items: { id: string }[] }>(list)).items.map((i) => i.id)).toEqual([s.id]);
  });

  it("stores data keys such as __proto__ as plain data", async () => {
    const s = await createSession({ data: JSON.parse('{"__proto__":{"x":1},"a":2}') });
    expect(Object.hasOwn(s.data, "__proto__")).toBe(true);
    const got = await json<SessionBody>(await api("GET", `/v1/sessions/${s.id}`));
    expect(JSON.stringify(got.data)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe("GET /v1/sessions/{id}", () => {
  it("reads the session with its version headers", async () => {
    const s = await createSession({ subject: unique("u"), data: { n: 1 } });
    const res = await api("GET", `/v1/sessions/${s.id}`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(s);
    expect(res.headers.get("ETag")).toBe('"1"');
    expect(res.headers.get("Edgestate-Version")).toBe("1");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 304 when If-None-Match matches", async () => {
    const s = await createSession();
    const res = await api("GET", `/v1/sessions/${s.id}`, { headers: { "If-None-Match": '"1"' } });
    expect(res.status).toBe(304);
  });
});

describe("PATCH /v1/sessions/{id}", () => {
  it("merge-patches data and bumps the version", async () => {
    const s = await createSession({ data: { a: 1, b: { c: 2 } } });
    const res = await api("PATCH", `/v1/sessions/${s.id}`, mergePatch({ a: null, b: { d: 3 }, e: "x" }));
    expect(res.status, await res.clone().text()).toBe(200);
    const patched = await json<SessionBody>(res);
    expect(patched.data).toEqual({ b: { c: 2, d: 3 }, e: "x" });
    expect(patched.version).toBe(2);
    expect(res.headers.get("ETag")).toBe('"2"');
    expect(await json(await api("GET", `/v1/sessions/${s.id}`))).toMatchObject({
      data: patched.data,
      version: 2,
    });
  });

  it("applies If-Match: the current ETag succeeds, a stale one is 412 with the current ETag", async () => {
    const s = await createSession({ data: { n: 0 } });
    const ok = await api("PATCH", `/v1/sessions/${s.id}`, mergePatch({ n: 1 }, { "If-Match": '"1"' }));
    expect(ok.status).toBe(200);
    const stale = await api("PATCH", `/v1/sessions/${s.id}`, mergePatch({ n: 2 }, { "If-Match": '"1"' }));
    expect(stale.status).toBe(412);
    expect(stale.headers.get("ETag")).toBe('"2"');
    expect((await json<SessionBody>(await api("GET", `/v1/sessions/${s.id}`))).data).toEqual({ n: 1 });
  });

  it("lets exactly one of several concurrent If-Match writes win", async () => {
    const s = await createSession({ data: {} });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api("PATCH", `/v1/sessions/${s.id}`, mergePatch({ [`k${i}`]: i }, { "If-Match": '"1"' })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
  });

  it("refuses other media types with 415 and Accept-Patch", async () => {
    const s = await createSession();
    const res = await api("PATCH", `/v1/sessions/${s.id}`, { body: { a: 1 } });
    expect(res.status).toBe(415);
    expect(res.headers.get("Accept-Patch")).toBe("application/merge-patch+json");
  });

  it("refuses a patch that is not an object, and bad If-Match syntax, with 400", async () => {
    const s = await createSession();
    expect((await api("PATCH", `/v1/sessions/${s.id}`, mergePatch([1]))).status).toBe(400);
    const badEtag = await api("PATCH", `/v1/sessions/${s.id}`, mergePatch({}, { "If-Match": "1" }));
    expect(badEtag.status).toBe(400);
  });
});

describe("DELETE /v1/sessions/{id}", () => {
  it("revokes at once: 204, then 404 for reads, patches and deletes", async () => {
    const s = await createSession({ data: { a: 1 } });
    expect((await api("DELETE", `/v1/sessions/${s.id}`)).status).toBe(204);
    expect((await api("GET", `/v1/sessions/${s.id}`)).status).toBe(404);
    expect((await api("PATCH", `/v1/sessions/${s.id}`, mergePatch({ a: 2 }))).status).toBe(404);
    expect((await api("DELETE", `/v1/sessions/${s.id}`)).status).toBe(404);
  });

  it("applies If-Match", async () => {
    const s = await createSession();
    const stale = await api("DELETE", `/v1/sessions/${s.id}`, { headers: { "If-Match": '"7"' } });
    expect(stale.status).toBe(412);
    expect((await api("DELETE", `/v1/sessions/${s.id}`, { headers: { "If-Match": '"1"' } })).status).toBe(
      204,
    );
  });
});

describe("routes", () => {
  it("publishes the session routes in /openapi.json", async () => {
    const doc = await json<{ paths: Record<string, object> }>(await api("GET", "/openapi.json"));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/sessions", "/v1/sessions/{id}", "/v1/subjects/{subject}/sessions"]),
    );
  });

  it("answers 405 with Allow for an unsupported method", async () => {
    const res = await api("PUT", "/v1/sessions/ses_x", { body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toContain("PATCH");
  });

  it("needs a key with the write scope to create", async () => {
    const { issueKey } = await import("../support/api");
    const reader = await issueKey(unique("ro"), ["read"]);
    expect((await api("POST", "/v1/sessions", { key: reader, body: {} })).status).toBe(403);
    expect((await api("POST", "/v1/sessions", { key: null, body: {} })).status).toBe(401);
  });
});
