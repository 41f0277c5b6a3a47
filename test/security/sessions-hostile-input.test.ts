import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SUBJECT } from "../../src/core/names";
import { api, json, unique } from "../support/api";
import {
  ADMIN,
  checkReply,
  fetchRaw,
  MERGE,
  type Seeded,
  seedSession,
  sessionRow,
  snapshot,
} from "./sessions-support";

// Property-based hostile input against the session routes. Every reply: no 5xx; every 4xx is a
// problem document; a refused request leaves the seeded session exactly as it was. Seeds are
// non-sliding, so the read-back GET changes nothing and the comparison can include expiresAt;
// the stored row (sealed data, version, expiry) is compared too. Runs are bounded to stay fast;
// a failure prints fast-check's seed and shrunk counterexample.
const RUNS = 100;
const tenant = unique("sfuzz");

/** Seeds a session, sends the request, checks the reply and, when it was refused, that nothing changed. */
async function againstSeeded(send: (s: Seeded) => Promise<Response>): Promise<Response> {
  const seeded = await seedSession(tenant);
  const before = await snapshot(seeded);
  const res = await send(seeded);
  await checkReply(res.clone());
  if (res.status >= 400) expect(await snapshot(seeded)).toEqual(before);
  return res;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
/** Keys that have tripped real parsers and merge functions. */
const nastyKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  "~1",
);
const nastyObject = fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 8 })), jsonValue, { maxKeys: 6 });
const jsonObject = fc.oneof(nastyObject, fc.dictionary(fc.string(), jsonValue, { maxKeys: 4 }));

const TTL_EDGES = [59, 60, 61, 3600, 2_592_000, 2_592_001, 31_536_000, 31_536_001, 0, -1, 1.5, 1e300];
/** Mostly valid values, so that every field's rule is reached often enough, and its edges. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: other, weight: 1 });
const seconds = mostly(
  fc.oneof(fc.integer({ min: 60, max: 2_592_000 }), fc.constantFrom(60, 2_592_000)),
  fc.oneof(
    fc.constantFrom(...TTL_EDGES),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(null, true, "60", [60], { s: 60 }),
  ),
);
const subject = mostly(
  fc.stringMatching(/^[A-Za-z0-9._~@:-]{1,20}$/),
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom(".", "..", "a/b", "", "u".repeat(256), "u".repeat(257), null, 7),
  ),
);

/** The create rules of docs/sessions.md, as an oracle for the reply. */
function createIsValid(body: Record<string, unknown>): boolean {
  const allowed = new Set(["subject", "data", "ttl", "sliding", "absoluteTtl"]);
  if (Object.keys(body).some((k) => !allowed.has(k))) return false;
  const { data, ttl = 3600, absoluteTtl = 2_592_000, sliding = true, subject: who } = body;
  const isInt = (n: unknown, min: number, max: number) =>
    typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
  if (data !== undefined && (data === null || typeof data !== "object" || Array.isArray(data))) return false;
  if (!isInt(ttl, 60, 2_592_000) || !isInt(absoluteTtl, 60, 31_536_000)) return false;
  if ((absoluteTtl as number) < (ttl as number)) return false;
  if (typeof sliding !== "boolean") return false;
  if (who !== undefined && (typeof who !== "string" || !SUBJECT.test(who) || who === "." || who === ".."))
    return false;
  return true;
}

/** RFC 7396 over parsed JSON, with own-property writes so "__proto__" stays a plain member. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base =
    target !== null && typeof target === "object" && !Array.isArray(target)
      ? (target as Record<string, unknown>)
      : {};
  const out: Record<string, unknown> = {};
  const define = (k: string, v: unknown) =>
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(base)) define(k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else define(k, mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}

describe("sessions: hostile input (fast-check)", () => {
  it("POST /v1/sessions with random bodies: created exactly as asked when valid, a 400 problem otherwise", async () => {
    const extra = fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 6 })), jsonValue, { maxKeys: 2 });
    const body = fc
      .tuple(
        fc.record(
          {
            data: mostly(jsonObject, jsonValue),
            ttl: seconds,
            absoluteTtl: mostly(fc.integer({ min: 60, max: 31_536_000 }), seconds),
            sliding: mostly(fc.boolean(), jsonValue),
            subject,
          },
          { requiredKeys: [] },
        ),
        mostly(fc.constant({}), extra),
      )
      .map(([known, more]) => {
        // Own properties only: spreading would drop or misplace a "__proto__" member.
        const out: Record<string, unknown> = {};
        for (const source of [more, known]) {
          for (const [k, v] of Object.entries(source)) {
            Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
        }
        return out;
      });
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const raw = JSON.stringify(input);
        const sent = JSON.parse(raw) as Record<string, unknown>;
        const who = typeof sent.subject === "string" && SUBJECT.test(sent.subject) ? sent.subject : null;
        const listed = async () =>
          who === null || /^\.\.?$/.test(who)
            ? null
            : (await json<{ items: unknown[] }>(await api("GET", `/v1/subjects/${who}/sessions`, { tenant })))
                .items;
        const before = await listed();
        const res = await api("POST", "/v1/sessions", { tenant, raw });
        const text = await checkReply(res);
        const valid = createIsValid(sent);
        expect(res.status, `${raw} → ${text}`).toBe(valid ? 201 : 400);
        if (!valid) {
          // A refused create indexed nothing under its subject.
          expect(await listed()).toEqual(before);
          return;
        }
        const session = JSON.parse(text) as { id: string; data: unknown; subject: string | null };
        expect(session.data).toEqual(sent.data ?? {});
        expect(JSON.stringify(session.data)).toBe(JSON.stringify(sent.data ?? {}));
        expect(session.subject).toBe(sent.subject ?? null);
        const read = await api("GET", `/v1/sessions/${session.id}`, { tenant });
        expect(read.status).toBe(200);
        expect(JSON.stringify((await json<{ data: unknown }>(read)).data)).toBe(
          JSON.stringify(sent.data ?? {}),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("random merge patches with random If-Match: applied as RFC 7396 says, or refused without a change", async () => {
    const ifMatch = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('"1"', '"2"', "*", 'W/"1"', '"1", "2"', '"0"', "1", '"', "", '"01"'),
      fc.string({ maxLength: 10 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonObject, jsonValue), ifMatch, async (patch, match) => {
        const raw = JSON.stringify(patch);
        const headers: Record<string, string> = match === undefined ? {} : { "If-Match": match };
        let seedData: unknown;
        const res = await againstSeeded(async (s) => {
          seedData = JSON.parse((await snapshot(s)).body).data;
          return api("PATCH", s.path, { tenant, raw, contentType: MERGE, headers });
        });
        const isObject = patch !== null && typeof patch === "object" && !Array.isArray(patch);
        if (res.status !== 200) {
          // A plain object under a matching (or no) precondition must not be refused.
          if (isObject) expect([undefined, '"1"', "*", '"1", "2"']).not.toContain(match);
          return;
        }
        expect(isObject).toBe(true);
        const body = await json<{ version: number; data: unknown }>(res);
        expect(body.version).toBe(2);
        expect(body.data).toEqual(mergePatch(seedData, JSON.parse(raw)));
      }),
      { numRuns: RUNS },
    );
  });

  const contentType = fc.constantFrom(
    "application/json",
    "application/merge-patch+json",
    "application/json-patch+json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/octet-stream",
    "multipart/form-data; boundary=x",
    "",
  );

  it("random bytes as a body, with any content type, on every session route", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 256 }),
          fc.string().map((s) => new TextEncoder().encode(s)),
        ),
        contentType,
        fc.constantFrom("POST /v1/sessions", "PATCH {id}", "DELETE {id}", "GET {id}", "DELETE subject"),
        async (bytes, type, route) => {
          await againstSeeded(async (s) => {
            const [method, where] = route.split(" ") as [string, string];
            const path =
              where === "{id}"
                ? s.path
                : where === "subject"
                  ? `/v1/subjects/${unique("u")}/sessions`
                  : where;
            const headers: Record<string, string> = { Authorization: ADMIN, "Edgestate-Tenant": tenant };
            if (type) headers["Content-Type"] = type;
            return fetchRaw(path, { method, headers, ...(method === "GET" ? {} : { body: bytes }) });
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("random strings as session ids, subjects and query values: a clean 4xx or a normal reply", async () => {
    const segment = fc
      .oneof(
        fc.string({ unit: "binary", maxLength: 80 }),
        fc.stringMatching(/^ses_[A-Za-z0-9_-]{40,46}$/),
        fc.stringMatching(/^[A-Za-z0-9._~@:-]{1,12}$/),
      )
      .map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.constantFrom("ttl", "cursor", "limit", "consistency", "wait", "__proto__"),
        fc.constantFrom("GET", "PATCH", "DELETE"),
        fc.boolean(),
        async (name, value, query, method, asSubject) => {
          const path = asSubject ? `/v1/subjects/${name}/sessions` : `/v1/sessions/${name}`;
          const res = await api(method, `${path}?${query}=${encodeURIComponent(value)}`, {
            tenant,
            ...(method === "PATCH" ? { raw: '{"x":1}', contentType: MERGE } : {}),
          });
          await checkReply(res);
          // Nothing but a real session id finds a session; no session route lists these parameters,
          // so a route that matched names the parameter (400) before it looks anything up.
          if (!asSubject) expect([400, 404, 405]).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
  });

  // Header values: any string a client could put on the wire (no CR, LF or NUL; Latin-1).
  const headerValue = fc
    .oneof(
      fc.string({
        unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
        maxLength: 60,
      }),
      fc.constantFrom('"1"', "*", "Bearer ", "Bearer esk_", "default", "ACME", `"${"9".repeat(20)}"`),
    )
    .map((s) => s.trim());

  it("random Idempotency-Key, If-Match, If-None-Match, Edgestate-Tenant and Authorization values", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "Idempotency-Key",
          "If-Match",
          "If-None-Match",
          "Edgestate-Tenant",
          "Authorization",
          "Content-Type",
        ),
        headerValue,
        fc.constantFrom("PATCH", "DELETE", "GET", "POST"),
        async (header, value, method) => {
          const res = await againstSeeded(async (s) => {
            const headers: Record<string, string> = {
              Authorization: ADMIN,
              "Edgestate-Tenant": tenant,
              "Content-Type": method === "PATCH" ? MERGE : "application/json",
            };
            headers[header] = value;
            const body = method === "GET" || method === "DELETE" ? undefined : '{"changed":true}';
            return fetchRaw(method === "POST" ? "/v1/sessions" : s.path, { method, headers, body });
          });
          // Another tenant (any the header may name) never sees this tenant's session.
          if (header === "Edgestate-Tenant" && value !== tenant && method !== "POST") {
            expect(res.status).toBeGreaterThanOrEqual(400);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("__proto__ and constructor in session data stay plain data", () => {
  it("are stored and returned as members by create, merge patch and read, and reach no prototype", async () => {
    const created = await api("POST", "/v1/sessions", {
      tenant,
      raw: '{"data":{"__proto__":{"a":1},"constructor":{"prototype":{"b":2}},"toString":"x"},"sliding":false}',
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const text = await created.text();
    expect(text).toContain('"data":{"__proto__":{"a":1},"constructor":{"prototype":{"b":2}},"toString":"x"}');
    const { id } = JSON.parse(text) as { id: string };
    const path = `/v1/sessions/${id}`;

    const patched = await api("PATCH", path, {
      tenant,
      raw: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"z":1}},"x":{"__proto__":{"y":1}}}',
      contentType: MERGE,
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const { data } = JSON.parse(await patched.text()) as { data: Record<string, Record<string, unknown>> };
    expect(Object.hasOwn(data, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value).toEqual({ a: 1, polluted: true });
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data.constructor).toEqual({ prototype: { b: 2, z: 1 } });
    expect(Object.hasOwn(data.x!, "__proto__")).toBe(true);
    expect(data.toString).toBe("x");

    const read = JSON.parse(await (await api("GET", path, { tenant })).text()) as { data: unknown };
    expect(read.data).toEqual(data);
    expect(JSON.stringify(read.data)).toBe(JSON.stringify(data));

    // Removing them is plain data too.
    const removed = await api("PATCH", path, {
      tenant,
      raw: '{"__proto__":null,"constructor":null}',
      contentType: MERGE,
    });
    expect(JSON.parse(await removed.text()).data).toEqual({
      toString: "x",
      x: JSON.parse('{"__proto__":{"y":1}}'),
    });

    // Nothing leaked into the Worker's (same-isolate) prototypes.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).a).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).z).toBeUndefined();
    expect(await sessionRow({ tenant, id })).not.toBeNull();
  });

  it("a create body's own __proto__ member is an unknown field, not a way around validation", async () => {
    const res = await api("POST", "/v1/sessions", { tenant, raw: '{"__proto__":{"ttl":1},"ttl":60}' });
    await checkReply(res.clone());
    expect(res.status).toBe(400);
  });
});

describe("sessions: If-None-Match on a read", () => {
  it('compares weakly, as RFC 9110 and entities do: W/"1" is a 304, W/"2" is not', async () => {
    const s = await seedSession(tenant);
    const weak = await api("GET", s.path, { tenant, headers: { "If-None-Match": 'W/"1"' } });
    expect(weak.status).toBe(304);
    expect(weak.headers.get("ETag")).toBe('"1"');
    const list = await api("GET", s.path, { tenant, headers: { "If-None-Match": 'W/"2", "1"' } });
    expect(list.status).toBe(304);
    const other = await api("GET", s.path, { tenant, headers: { "If-None-Match": 'W/"2"' } });
    expect(other.status).toBe(200);
  });
});

describe("sessions: creates refused by their Idempotency-Key", () => {
  it("a reused key with another body or another subject is a 422 that indexes nothing and changes nothing", async () => {
    const [alice, bob] = [unique("alice"), unique("bob")];
    const headers = { "Idempotency-Key": unique("key") };
    const first = await api("POST", "/v1/sessions", {
      tenant,
      body: { subject: alice, data: { n: 1 }, sliding: false },
      headers,
    });
    expect(first.status).toBe(201);
    const { id } = await json<{ id: string }>(first);
    const seeded = { tenant, id, path: `/v1/sessions/${id}` };
    const before = await snapshot(seeded);
    const listed = async (who: string) =>
      (await api("GET", `/v1/subjects/${who}/sessions`, { tenant })).text();
    const [aliceBefore, bobBefore] = [await listed(alice), await listed(bob)];

    for (const body of [
      { subject: alice, data: { n: 2 }, sliding: false },
      { subject: bob, data: { n: 1 }, sliding: false },
      { data: { n: 1 }, sliding: false },
    ]) {
      const res = await api("POST", "/v1/sessions", { tenant, body, headers });
      await checkReply(res.clone());
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect(await snapshot(seeded)).toEqual(before);
    expect(await listed(alice)).toBe(aliceBefore);
    expect(await listed(bob)).toBe(bobBefore);
    expect(JSON.parse(bobBefore)).toEqual({ items: [] });
  });
});
