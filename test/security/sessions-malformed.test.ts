import { beforeAll, describe, expect, it } from "vitest";
import { api, issueKey, unique } from "../support/api";
import { expectProblem } from "../support/problem";
import { MERGE, seedSession, snapshot } from "./sessions-support";

// Each malformed session request is refused with exactly this status as a problem document, and
// the seeded (non-sliding) session is exactly as it was: same reply bytes (version, data,
// expiresAt), same ETag, same stored row (sealed data included, so nothing was rewritten).
interface Case {
  name: string;
  method: string;
  /** `{id}` is the seeded session's id; default `/v1/sessions/{id}`. */
  path?: string;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Authorization header value instead of the admin key ("" sends none). */
  authorization?: string;
  /** Send with a key of another tenant, naming the seeded tenant in Edgestate-Tenant. */
  foreignKey?: "naming-seed-tenant" | "own-tenant" | "read-only";
  status: number;
  /** The problem's type slug, where it says something specific. */
  slug?: string;
}

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const create = (body: unknown): Pick<Case, "method" | "path" | "raw"> => ({
  method: "POST",
  path: "/v1/sessions",
  raw: JSON.stringify(body),
});
const OVERSIZE = JSON.stringify({ data: { pad: "x".repeat(262_144) } });
const VALID_LOOKING_ID = `ses_${"A".repeat(43)}`;

const cases: Case[] = [
  // create bodies
  { name: "create: truncated JSON", method: "POST", path: "/v1/sessions", raw: '{"data":', status: 400 },
  {
    name: "create: trailing garbage",
    method: "POST",
    path: "/v1/sessions",
    raw: '{"data":{}}x',
    status: 400,
  },
  {
    name: "create: single-quoted JSON",
    method: "POST",
    path: "/v1/sessions",
    raw: "{'ttl':60}",
    status: 400,
  },
  { name: "create: body is an array", ...create([]), status: 400 },
  { name: "create: body is a string", ...create("data"), status: 400 },
  {
    name: "create: data 1e400",
    method: "POST",
    path: "/v1/sessions",
    raw: '{"data":{"n":1e400}}',
    status: 400,
  },
  {
    name: "create: data nested 65 deep",
    method: "POST",
    path: "/v1/sessions",
    raw: `{"data":{"a":${deep(63)}}}`,
    status: 400,
  },
  {
    name: "create: body over MAX_BODY_BYTES",
    method: "POST",
    path: "/v1/sessions",
    raw: OVERSIZE,
    status: 413,
  },
  { name: "create: data is an array", ...create({ data: [1] }), status: 400 },
  { name: "create: data is null", ...create({ data: null }), status: 400 },
  { name: "create: data is a string", ...create({ data: "x" }), status: 400 },
  { name: "create: ttl 59", ...create({ ttl: 59 }), status: 400 },
  { name: "create: ttl 2592001", ...create({ ttl: 2_592_001 }), status: 400 },
  { name: 'create: ttl "60" (a string)', ...create({ ttl: "60" }), status: 400 },
  { name: "create: ttl 1.5", ...create({ ttl: 1.5 }), status: 400 },
  { name: "create: ttl -1", ...create({ ttl: -1 }), status: 400 },
  { name: "create: ttl 1e300", ...create({ ttl: 1e300 }), status: 400 },
  { name: "create: absoluteTtl below ttl", ...create({ ttl: 3600, absoluteTtl: 600 }), status: 400 },
  { name: "create: absoluteTtl below the default ttl", ...create({ absoluteTtl: 60 }), status: 400 },
  { name: "create: absoluteTtl over a year", ...create({ absoluteTtl: 31_536_001 }), status: 400 },
  { name: 'create: sliding "yes"', ...create({ sliding: "yes" }), status: 400 },
  { name: "create: unknown field", ...create({ data: {}, admin: true }), status: 400 },
  { name: "create: id chosen by the client", ...create({ id: VALID_LOOKING_ID }), status: 400 },
  {
    name: "create: __proto__ as a top-level field",
    method: "POST",
    path: "/v1/sessions",
    raw: '{"__proto__":{"ttl":60}}',
    status: 400,
  },
  { name: "create: subject with a slash", ...create({ subject: "a/b" }), status: 400 },
  { name: "create: subject ..", ...create({ subject: ".." }), status: 400 },
  { name: "create: subject of 257 characters", ...create({ subject: "u".repeat(257) }), status: 400 },
  { name: "create: subject with a space", ...create({ subject: "a b" }), status: 400 },
  { name: "create: subject null", ...create({ subject: null }), status: 400 },
  { name: "create: subject a number", ...create({ subject: 7 }), status: 400 },
  {
    name: "create: as text/plain",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    contentType: "text/plain",
    status: 415,
  },
  {
    name: "create: as form data",
    method: "POST",
    path: "/v1/sessions",
    raw: "ttl=60",
    contentType: "application/x-www-form-urlencoded",
    status: 415,
  },
  {
    name: "create: as a merge patch",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    contentType: MERGE,
    status: 415,
  },
  {
    name: "create: with If-Match",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    headers: { "If-Match": '"1"' },
    status: 400,
  },
  {
    name: "create: empty Idempotency-Key",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    headers: { "Idempotency-Key": "" },
    status: 400,
  },
  {
    name: "create: Idempotency-Key of 256 characters",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    headers: { "Idempotency-Key": "k".repeat(256) },
    status: 400,
  },
  {
    name: "create: non-ASCII Idempotency-Key",
    method: "POST",
    path: "/v1/sessions",
    raw: "{}",
    headers: { "Idempotency-Key": "cl\u00e9" },
    status: 400,
  },
  // merge patches
  {
    name: "patch as application/json",
    method: "PATCH",
    raw: "{}",
    contentType: "application/json",
    status: 415,
  },
  { name: "patch as text/plain", method: "PATCH", raw: "{}", contentType: "text/plain", status: 415 },
  {
    name: "patch as JSON Patch",
    method: "PATCH",
    raw: '[{"op":"add","path":"/a","value":1}]',
    contentType: "application/json-patch+json",
    status: 415,
  },
  { name: "patch with no body", method: "PATCH", raw: "", contentType: MERGE, status: 400 },
  { name: "patch truncated", method: "PATCH", raw: '{"a":', contentType: MERGE, status: 400 },
  { name: "patch 1e400", method: "PATCH", raw: '{"a":1e400}', contentType: MERGE, status: 400 },
  {
    name: "patch nested 65 deep",
    method: "PATCH",
    raw: `{"a":${deep(64)}}`,
    contentType: MERGE,
    status: 400,
  },
  { name: "patch is an array", method: "PATCH", raw: "[1]", contentType: MERGE, status: 400 },
  { name: "patch is null", method: "PATCH", raw: "null", contentType: MERGE, status: 400 },
  { name: "patch is a number", method: "PATCH", raw: "1", contentType: MERGE, status: 400 },
  {
    name: "patch over MAX_BODY_BYTES",
    method: "PATCH",
    raw: JSON.stringify({ pad: "x".repeat(262_144) }),
    contentType: MERGE,
    status: 413,
  },
  // preconditions
  {
    name: "If-Match without quotes",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    headers: { "If-Match": "1" },
    status: 400,
  },
  {
    name: "If-Match with a non-numeric tag",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    headers: { "If-Match": '"abc"' },
    status: 400,
  },
  {
    name: "If-Match unterminated quote",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    headers: { "If-Match": '"1' },
    status: 400,
  },
  {
    name: "If-Match version 0",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    headers: { "If-Match": '"0"' },
    status: 400,
  },
  {
    name: "If-Match stale version",
    method: "PATCH",
    raw: '{"x":1}',
    contentType: MERGE,
    headers: { "If-Match": '"99"' },
    status: 412,
  },
  {
    name: "If-Match weak ETag never matches strongly",
    method: "PATCH",
    raw: '{"x":1}',
    contentType: MERGE,
    headers: { "If-Match": 'W/"1"' },
    status: 412,
  },
  { name: "If-Match stale on DELETE", method: "DELETE", headers: { "If-Match": '"2"' }, status: 412 },
  { name: "If-Match garbage on DELETE", method: "DELETE", headers: { "If-Match": "nope" }, status: 400 },
  {
    name: "If-None-Match on a patch",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    headers: { "If-None-Match": "*" },
    status: 400,
  },
  {
    name: "If-None-Match garbage on GET",
    method: "GET",
    headers: { "If-None-Match": "garbage" },
    status: 400,
  },
  {
    name: "patch: Idempotency-Key with a control character",
    method: "PATCH",
    raw: '{"x":1}',
    contentType: MERGE,
    headers: { "Idempotency-Key": "a\tb" },
    status: 400,
  },
  // ids: malformed ids are the same 404 as unknown ones (no oracle)
  { name: "id over-long", method: "GET", path: `/v1/sessions/ses_${"A".repeat(44)}`, status: 404 },
  { name: "id of 4 KB", method: "GET", path: `/v1/sessions/${"a".repeat(4096)}`, status: 404 },
  { name: "id without the ses_ prefix", method: "GET", path: `/v1/sessions/${"A".repeat(47)}`, status: 404 },
  { name: "well-formed unknown id", method: "GET", path: `/v1/sessions/${VALID_LOOKING_ID}`, status: 404 },
  { name: "percent-encoded slash in id", method: "GET", path: "/v1/sessions/{id}%2Fx", status: 404 },
  { name: "percent-encoded NUL in id", method: "DELETE", path: "/v1/sessions/{id}%00", status: 404 },
  {
    name: "id with a trailing percent-encoded dot-dot",
    method: "DELETE",
    path: "/v1/sessions/{id}%2F..",
    status: 404,
  },
  {
    name: "patch of an invalid id",
    method: "PATCH",
    path: "/v1/sessions/ses_%2F..%2F",
    raw: '{"x":1}',
    contentType: MERGE,
    status: 404,
  },
  { name: "id plus a sub-resource", method: "GET", path: "/v1/sessions/{id}/data", status: 404 },
  // subjects
  {
    name: "subject with a percent-encoded slash",
    method: "GET",
    path: "/v1/subjects/a%2Fb/sessions",
    status: 400,
  },
  {
    name: "revoke-all on a percent-encoded slash",
    method: "DELETE",
    path: "/v1/subjects/a%2Fb/sessions",
    status: 400,
  },
  {
    name: "subject with a percent-encoded space",
    method: "GET",
    path: "/v1/subjects/a%20b/sessions",
    status: 400,
  },
  {
    name: "subject of 257 characters",
    method: "GET",
    path: `/v1/subjects/${"u".repeat(257)}/sessions`,
    status: 400,
  },
  {
    name: "subject .. reaching the route unresolved",
    method: "GET",
    path: "/v1/subjects/..%2F/sessions",
    status: 400,
  },
  // credentials and tenants
  {
    name: "no Authorization",
    method: "PATCH",
    raw: "{}",
    contentType: MERGE,
    authorization: "",
    status: 401,
  },
  { name: "Basic credentials", method: "DELETE", authorization: "Basic YWRtaW46YWRtaW4=", status: 401 },
  { name: "Bearer without a token", method: "GET", authorization: "Bearer ", status: 401 },
  {
    name: "Bearer with a malformed key",
    method: "DELETE",
    authorization: "Bearer esk_nothex_short",
    status: 401,
  },
  {
    name: "Bearer with an unknown well-formed key",
    method: "DELETE",
    authorization: `Bearer esk_${"0".repeat(24)}_${"A".repeat(43)}`,
    status: 401,
  },
  { name: "Bearer with two tokens", method: "DELETE", authorization: "Bearer a b", status: 401 },
  {
    name: "invalid Edgestate-Tenant",
    method: "DELETE",
    headers: { "Edgestate-Tenant": "ACME!" },
    status: 400,
  },
  {
    name: "a tenant key naming another tenant",
    method: "DELETE",
    foreignKey: "naming-seed-tenant",
    status: 403,
  },
  {
    name: "a tenant key reaching for another tenant's session id",
    method: "DELETE",
    foreignKey: "own-tenant",
    status: 404,
  },
  {
    name: "a read-only key patching",
    method: "PATCH",
    raw: '{"x":1}',
    contentType: MERGE,
    foreignKey: "read-only",
    status: 403,
  },
  // methods
  { name: "PUT on a session", method: "PUT", raw: "{}", status: 405 },
  { name: "POST on a session", method: "POST", raw: "{}", status: 405 },
];

describe("malformed session requests, by name", () => {
  let foreign: { tenant: string; key: string };
  beforeAll(async () => {
    const tenant = unique("other");
    foreign = { tenant, key: await issueKey(tenant) };
  });

  it("has at least 25 of them", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const seed = await seedSession(unique("mal"), { note: "seed", list: [1, 2] });
      const before = await snapshot(seed);
      expect(before.status).toBe(200);

      const headers: Record<string, string> = { ...c.headers };
      let key: string | null | undefined;
      let tenant: string | undefined = seed.tenant;
      if (c.authorization !== undefined) {
        key = null;
        if (c.authorization) headers.Authorization = c.authorization;
      }
      if (c.foreignKey === "naming-seed-tenant") key = foreign.key;
      if (c.foreignKey === "own-tenant") [key, tenant] = [foreign.key, undefined];
      if (c.foreignKey === "read-only") key = await issueKey(seed.tenant, ["read"]);
      if (headers["Edgestate-Tenant"]) tenant = undefined;
      const path = (c.path ?? "/v1/sessions/{id}").replace("{id}", seed.id);
      const res = await api(c.method, path, {
        headers,
        ...(key !== undefined ? { key } : {}),
        ...(tenant ? { tenant } : {}),
        ...(c.raw !== undefined ? { raw: c.raw, contentType: c.contentType ?? "application/json" } : {}),
      });
      const problem = await expectProblem(res, c.status);
      if (c.slug) expect(problem.type).toBe(`urn:edgestate:problem:${c.slug}`);
      expect(await snapshot(seed)).toEqual(before);
    });
  }
});
