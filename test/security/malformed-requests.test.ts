import { describe, expect, it } from "vitest";
import { api, unique } from "../support/api";

// Each request is refused (or, where named, accepted) with exactly this status, refusals are
// problem documents, and a refused write leaves the seeded entity exactly as it was.
interface Case {
  name: string;
  method: string;
  /** Appended to /v1/entities; `{id}` is the seeded entity's id. */
  path?: string;
  /** A full path instead (for routes outside /v1/entities). */
  fullPath?: string;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Authorization header value; default: the admin key. */
  authorization?: string;
  status: number;
}

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const OVERSIZE = JSON.stringify({ pad: "x".repeat(262_144) });

const cases: Case[] = [
  // bodies
  { name: "truncated JSON object", method: "PUT", raw: '{"a":', status: 400 },
  { name: "truncated JSON array", method: "PUT", raw: "[1,2", status: 400 },
  { name: "trailing garbage after JSON", method: "PUT", raw: '{"a":1}x', status: 400 },
  { name: "two JSON documents", method: "PUT", raw: "{} {}", status: 400 },
  { name: "empty body", method: "PUT", raw: "", status: 400 },
  { name: "single-quoted JSON", method: "PUT", raw: "{'a':1}", status: 400 },
  { name: "NaN literal", method: "PUT", raw: '{"a":NaN}', status: 400 },
  { name: "comment in JSON", method: "PUT", raw: '{"a":1 /* c */}', status: 400 },
  { name: "lone surrogate escape round-trips as JSON", method: "PUT", raw: '"\\ud800"', status: 200 },
  { name: "huge number 1e400", method: "PUT", raw: '{"n":1e400}', status: 400 },
  { name: "huge negative number -1e400", method: "PUT", raw: "[-1e400]", status: 400 },
  { name: "nesting 65 deep", method: "PUT", raw: deep(65), status: 400 },
  { name: "nesting 64 deep is fine", method: "PUT", raw: deep(64), status: 200 },
  { name: "body over MAX_BODY_BYTES", method: "PUT", raw: OVERSIZE, status: 413 },
  { name: "__proto__ key is data", method: "PUT", raw: '{"__proto__":{"polluted":true}}', status: 200 },
  {
    name: "constructor key is data",
    method: "PUT",
    raw: '{"constructor":{"prototype":{"x":1}}}',
    status: 200,
  },
  // content types
  { name: "PUT as text/plain", method: "PUT", raw: "{}", contentType: "text/plain", status: 415 },
  { name: "PUT as application/xml", method: "PUT", raw: "<a/>", contentType: "application/xml", status: 415 },
  {
    name: "PUT as form data",
    method: "PUT",
    raw: "a=1",
    contentType: "application/x-www-form-urlencoded",
    status: 415,
  },
  {
    name: "PATCH as application/json",
    method: "PATCH",
    raw: "{}",
    contentType: "application/json",
    status: 415,
  },
  { name: "PATCH as text/plain", method: "PATCH", raw: "{}", contentType: "text/plain", status: 415 },
  { name: "PATCH with no body", method: "PATCH", contentType: MERGE, status: 400 },
  // patches
  { name: "merge patch truncated", method: "PATCH", raw: '{"a":', contentType: MERGE, status: 400 },
  { name: "merge patch 1e400", method: "PATCH", raw: '{"a":1e400}', contentType: MERGE, status: 400 },
  { name: "JSON Patch not an array", method: "PATCH", raw: "{}", contentType: JSON_PATCH, status: 400 },
  {
    name: "JSON Patch unknown op",
    method: "PATCH",
    raw: '[{"op":"move2","path":"/a"}]',
    contentType: JSON_PATCH,
    status: 400,
  },
  {
    name: "JSON Patch without path",
    method: "PATCH",
    raw: '[{"op":"add","value":1}]',
    contentType: JSON_PATCH,
    status: 400,
  },
  {
    name: "JSON Patch path without slash",
    method: "PATCH",
    raw: '[{"op":"add","path":"a","value":1}]',
    contentType: JSON_PATCH,
    status: 400,
  },
  {
    name: "JSON Patch add without value",
    method: "PATCH",
    raw: '[{"op":"add","path":"/a"}]',
    contentType: JSON_PATCH,
    status: 400,
  },
  {
    name: "JSON Patch failing test",
    method: "PATCH",
    raw: '[{"op":"test","path":"/v","value":2}]',
    contentType: JSON_PATCH,
    status: 409,
  },
  {
    name: "JSON Patch remove missing member",
    method: "PATCH",
    raw: '[{"op":"remove","path":"/nope"}]',
    contentType: JSON_PATCH,
    status: 409,
  },
  {
    name: "JSON Patch half applies, then fails",
    method: "PATCH",
    raw: '[{"op":"add","path":"/b","value":1},{"op":"remove","path":"/zz"}]',
    contentType: JSON_PATCH,
    status: 409,
  },
  // names
  { name: "id of 257 characters", method: "GET", path: `/doc/${"a".repeat(257)}`, status: 400 },
  {
    name: "id of 256 characters is fine (missing)",
    method: "GET",
    path: `/doc/${"a".repeat(256)}`,
    status: 404,
  },
  { name: "percent-encoded slash in id", method: "GET", path: "/doc/a%2Fb", status: 400 },
  // The URL parser resolves %2E segments as dot-segments before routing: they never reach an entity.
  { name: "percent-encoded dot-dot id", method: "GET", path: "/doc/%2E%2E", status: 404 },
  { name: "percent-encoded dot id", method: "PUT", path: "/doc/%2e", raw: "{}", status: 404 },
  { name: "dot-dot id reaching the route unresolved", method: "GET", path: "/doc/..%2F", status: 400 },
  { name: "percent-encoded space in id", method: "GET", path: "/doc/a%20b", status: 400 },
  { name: "non-ASCII id", method: "GET", path: "/doc/caf%C3%A9", status: 400 },
  { name: "NUL in id", method: "GET", path: "/doc/a%00b", status: 400 },
  { name: "uppercase type", method: "GET", path: "/Doc/x", status: 400 },
  { name: "type starting with a digit", method: "GET", path: "/1doc/x", status: 400 },
  { name: "type of 65 characters", method: "GET", path: `/${"t".repeat(65)}/x`, status: 400 },
  // preconditions
  { name: "If-Match without quotes", method: "PUT", raw: "{}", headers: { "If-Match": "1" }, status: 400 },
  {
    name: "If-Match with a non-numeric tag",
    method: "PUT",
    raw: "{}",
    headers: { "If-Match": '"abc"' },
    status: 400,
  },
  {
    name: "If-Match unterminated quote",
    method: "PUT",
    raw: "{}",
    headers: { "If-Match": '"1' },
    status: 400,
  },
  { name: "If-Match stale version", method: "PUT", raw: "{}", headers: { "If-Match": '"99"' }, status: 412 },
  {
    name: "If-None-Match with an ETag on PUT",
    method: "PUT",
    raw: "{}",
    headers: { "If-None-Match": '"1"' },
    status: 400,
  },
  {
    name: "If-None-Match * on an existing entity",
    method: "PUT",
    raw: "{}",
    headers: { "If-None-Match": "*" },
    status: 412,
  },
  {
    name: "If-None-Match garbage on GET",
    method: "GET",
    headers: { "If-None-Match": "garbage" },
    status: 400,
  },
  // ttl and queries
  { name: "ttl=0", method: "PUT", path: "/doc/{id}?ttl=0", raw: "{}", status: 400 },
  { name: "ttl=-1", method: "PUT", path: "/doc/{id}?ttl=-1", raw: "{}", status: 400 },
  { name: "ttl=abc", method: "PUT", path: "/doc/{id}?ttl=abc", raw: "{}", status: 400 },
  { name: "ttl=1.5", method: "PUT", path: "/doc/{id}?ttl=1.5", raw: "{}", status: 400 },
  { name: "ttl=1e3", method: "PUT", path: "/doc/{id}?ttl=1e3", raw: "{}", status: 400 },
  { name: "ttl over a year", method: "PUT", path: "/doc/{id}?ttl=31536001", raw: "{}", status: 400 },
  { name: "ttl twice", method: "PUT", path: "/doc/{id}?ttl=5&ttl=6", raw: "{}", status: 400 },
  { name: "version=abc", method: "GET", path: "/doc/{id}?version=abc", status: 400 },
  { name: "consistency=maybe", method: "GET", path: "/doc/{id}?consistency=maybe", status: 400 },
  { name: "history limit=0", method: "GET", path: "/doc/{id}/history?limit=0", status: 400 },
  { name: "history cursor=abc", method: "GET", path: "/doc/{id}/history?cursor=abc", status: 400 },
  { name: "list limit=5000", method: "GET", path: "/doc?limit=5000", status: 400 },
  { name: "list prefix with a slash", method: "GET", path: "/doc?prefix=a%2Fb", status: 400 },
  // idempotency keys
  {
    name: "empty Idempotency-Key",
    method: "PUT",
    raw: "{}",
    headers: { "Idempotency-Key": "" },
    status: 400,
  },
  {
    name: "Idempotency-Key of 256 characters",
    method: "PUT",
    raw: "{}",
    headers: { "Idempotency-Key": "k".repeat(256) },
    status: 400,
  },
  {
    name: "non-ASCII Idempotency-Key",
    method: "PUT",
    raw: "{}",
    headers: { "Idempotency-Key": "cl\u00e9" },
    status: 400,
  },
  // credentials and tenants
  { name: "no Authorization", method: "GET", authorization: "", status: 401 },
  { name: "Basic credentials", method: "GET", authorization: "Basic YWRtaW46YWRtaW4=", status: 401 },
  { name: "Bearer without a token", method: "GET", authorization: "Bearer ", status: 401 },
  {
    name: "Bearer with a malformed key",
    method: "GET",
    authorization: "Bearer esk_nothex_short",
    status: 401,
  },
  {
    name: "Bearer with an unknown well-formed key",
    method: "GET",
    authorization: `Bearer esk_${"0".repeat(24)}_${"A".repeat(43)}`,
    status: 401,
  },
  { name: "Bearer with two tokens", method: "GET", authorization: "Bearer a b", status: 401 },
  { name: "invalid Edgestate-Tenant", method: "GET", headers: { "Edgestate-Tenant": "ACME!" }, status: 400 },
  // routing
  { name: "unknown route", method: "GET", fullPath: "/v1/nothing", status: 404 },
  { name: "POST on an entity", method: "POST", raw: "{}", status: 405 },
  {
    name: "reencrypt with limit=0",
    method: "POST",
    fullPath: "/v1/admin/reencrypt?limit=0",
    status: 400,
  },
];

const TYPE = "doc";

describe("malformed requests, by name", () => {
  it("has at least 40 of them", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const tenant = unique("mal");
      const id = unique("e");
      const seeded = await api("PUT", `/v1/entities/${TYPE}/${id}`, { tenant, body: { v: 1 } });
      expect(seeded.status).toBe(201);
      const path = c.fullPath ?? `/v1/entities${(c.path ?? `/${TYPE}/{id}`).replace("{id}", id)}`;
      const headers: Record<string, string> = { ...c.headers };
      if (c.authorization !== undefined) headers.Authorization = c.authorization;
      const res = await api(c.method, path, {
        ...(c.headers?.["Edgestate-Tenant"] ? {} : { tenant }),
        headers,
        ...(c.authorization !== undefined ? { key: null } : {}),
        ...(c.raw !== undefined ? { raw: c.raw, contentType: c.contentType ?? "application/json" } : {}),
        ...(c.raw === undefined && c.contentType ? { raw: "", contentType: c.contentType } : {}),
      });
      const text = await res.text();
      const expected = c.status === 200 && c.method === "PUT" ? [200] : [c.status];
      expect(expected, `${res.status} ${text}`).toContain(res.status);
      if (res.status >= 400) {
        expect(res.headers.get("Content-Type")).toBe("application/problem+json");
        const problem = JSON.parse(text) as { status: number; detail: string };
        expect(problem.status).toBe(res.status);
        expect(text).not.toMatch(/\n\s+at /);
        const after = await api("GET", `/v1/entities/${TYPE}/${id}`, { tenant });
        expect(after.headers.get("ETag")).toBe('"1"');
        expect(await after.json()).toEqual({ v: 1 });
      }
    });
  }
});

describe("__proto__ and constructor stay plain data", () => {
  it("PUT, merge patch and JSON Patch store them as members, and no prototype changes", async () => {
    const tenant = unique("proto");
    const path = `/v1/entities/doc/${unique()}`;
    const put = await api("PUT", path, { tenant, raw: '{"__proto__":{"a":1},"constructor":{"b":2}}' });
    expect(put.status).toBe(201);
    expect(await put.text()).toBe('{"__proto__":{"a":1},"constructor":{"b":2}}');

    const merge = await api("PATCH", path, {
      tenant,
      raw: '{"__proto__":{"polluted":true},"x":{"__proto__":{"y":1}}}',
      contentType: MERGE,
    });
    expect(merge.status, await merge.clone().text()).toBe(200);
    const merged = JSON.parse(await merge.text());
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(ownValue(merged, "__proto__")).toEqual({ a: 1, polluted: true });
    expect(Object.hasOwn(merged.x, "__proto__")).toBe(true);

    const patch = await api("PATCH", path, {
      tenant,
      raw: '[{"op":"add","path":"/__proto__/x","value":"p"},{"op":"add","path":"/constructor/prototype","value":{"z":1}}]',
      contentType: JSON_PATCH,
    });
    expect(patch.status, await patch.clone().text()).toBe(200);
    const patched = JSON.parse(await patch.text());
    expect(ownValue(patched, "__proto__")).toEqual({ a: 1, polluted: true, x: "p" });
    expect(patched.constructor).toEqual({ b: 2, prototype: { z: 1 } });

    const read = JSON.parse(await (await api("GET", path, { tenant })).text());
    expect(read).toEqual(patched);
    // Nothing leaked into the Worker's prototypes.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).z).toBeUndefined();
  });
});

/** An own property's value, read without `__proto__`'s accessor semantics. */
function ownValue(o: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(o, key)?.value;
}
